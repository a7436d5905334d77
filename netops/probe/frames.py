"""Send frames on an interface and collect what comes back within a bounded time.

A plain AF_PACKET socket, opened in the calling thread's network namespace
(scapy's own sockets resolve interfaces through a cache of the root namespace).
VLAN tags the kernel moved into packet auxdata are put back into the frame.
"""

from __future__ import annotations

import socket
import struct
import time

from scapy.layers.l2 import Ether
from scapy.packet import Packet

ETH_P_ALL = 0x0003
SOL_PACKET = 263
PACKET_AUXDATA = 8
TP_STATUS_VLAN_VALID = 0x10
TP_STATUS_VLAN_TPID_VALID = 0x40
AUXDATA = struct.Struct("IIIHHHH")  # struct tpacket_auxdata


def _with_tag(data: bytes, ancdata: list) -> bytes:
    for level, kind, cdata in ancdata:
        if level == SOL_PACKET and kind == PACKET_AUXDATA and len(cdata) >= AUXDATA.size:
            status, _, _, _, _, tci, tpid = AUXDATA.unpack_from(cdata)
            if status & TP_STATUS_VLAN_VALID:
                tpid = tpid if status & TP_STATUS_VLAN_TPID_VALID and tpid else 0x8100
                return data[:12] + struct.pack("!HH", tpid, tci) + data[12:]
    return data


def mac_of(iface: str) -> str:
    """The MAC address of ``iface`` in the current namespace."""
    with socket.socket(socket.AF_PACKET, socket.SOCK_RAW) as sock:
        sock.bind((iface, 0))
        return ":".join(f"{b:02x}" for b in sock.getsockname()[4][:6])


def exchange(iface: str, frames: list[Packet], wait: float) -> list[Packet]:
    """Send ``frames`` on ``iface`` and return every frame received until ``wait`` s after the last one."""
    with socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL)) as sock:
        sock.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)
        sock.bind((iface, 0))
        for frame in frames:
            sock.send(bytes(frame))
        received: list[Packet] = []
        deadline = time.monotonic() + wait
        while (left := deadline - time.monotonic()) > 0:
            sock.settimeout(left)
            try:
                data, ancdata, _, address = sock.recvmsg(65535, socket.CMSG_SPACE(AUXDATA.size))
            except TimeoutError:
                break
            if address[2] == socket.PACKET_OUTGOING:
                continue
            received.append(Ether(_with_tag(data, ancdata)))
        return received
