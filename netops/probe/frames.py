"""Send frames on an interface and collect what comes back within a bounded time.

A :class:`RawWire` is a plain AF_PACKET socket, opened in the calling thread's
network namespace (scapy's own sockets resolve interfaces through a cache of the
root namespace); VLAN tags the kernel moved into packet auxdata are put back
into the frame. While it listens it answers ARP requests for the probe's own
source address, so replies to an address not configured on the interface (a
laptop on a trunk port) still come back. A :class:`DryWire` only records what
would be sent. Every wire of a run draws on one :class:`Budget` of frames.
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

from scapy.layers.l2 import ARP, Dot1Q, Ether
from scapy.packet import Packet

from netops.errors import InputError
from netops.probe.netns import inside

ETH_P_ALL = 0x0003
SOL_PACKET = 263
PACKET_AUXDATA = 8
TP_STATUS_VLAN_VALID = 0x10
TP_STATUS_VLAN_TPID_VALID = 0x40
AUXDATA = struct.Struct("IIIHHHH")  # struct tpacket_auxdata
MAX_WAIT = 30.0  # seconds: no probe listens longer after a burst
DRY_MAC = "02:00:00:00:00:01"  # a dry run that cannot read the interface's MAC shows this one


class Budget:
    """The most frames one probe run may send; shared by its threads."""

    def __init__(self, limit: int) -> None:
        self.limit, self.sent = limit, 0
        self._lock = threading.Lock()

    def take(self, count: int) -> None:
        with self._lock:
            if self.sent + count > self.limit:
                raise InputError(f"the run would send more than {self.limit} frames (max_frames in the plan)", key="max_frames")
            self.sent += count


def _with_tag(data: bytes, ancdata: list) -> bytes:
    for level, kind, cdata in ancdata:
        if level == SOL_PACKET and kind == PACKET_AUXDATA and len(cdata) >= AUXDATA.size:
            status, _, _, _, _, tci, tpid = AUXDATA.unpack_from(cdata)
            if status & TP_STATUS_VLAN_VALID:
                tpid = tpid if status & TP_STATUS_VLAN_TPID_VALID and tpid else 0x8100
                return data[:12] + struct.pack("!HH", tpid, tci) + data[12:]
    return data


class Wire(Protocol):
    """Where a vantage's frames go out and its replies come in."""

    mac: str

    def exchange(self, frames: list[Packet], wait: float) -> list[Packet]:
        """Send ``frames``; every frame received until ``wait`` seconds after the last one."""
        ...


class RawWire:
    """An interface (optionally inside a network namespace), entered by the calling thread for each exchange."""

    def __init__(self, interface: str, netns: str | None, budget: Budget, answer_arp_for: str | None = None,
                 tags: tuple[int, ...] = ()) -> None:
        self.interface, self.netns, self.budget = interface, netns, budget
        self.answer_arp_for, self.tags = answer_arp_for, tags
        with self._here():
            self.mac = _mac(interface)

    @contextmanager
    def _here(self) -> Iterator[None]:
        if self.netns is None:
            yield
        else:
            with inside(self.netns):
                yield

    def exchange(self, frames: list[Packet], wait: float) -> list[Packet]:
        self.budget.take(len(frames))
        with self._here(), socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(ETH_P_ALL)) as sock:
            sock.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)
            try:
                sock.bind((self.interface, 0))
            except OSError as exc:
                raise InputError(f"cannot send on {self.interface}: {exc.strerror}", key="interface") from None
            for frame in frames:
                sock.send(bytes(frame))
            received: list[Packet] = []
            deadline = time.monotonic() + min(wait, MAX_WAIT)
            while (left := deadline - time.monotonic()) > 0:
                sock.settimeout(left)
                try:
                    data, ancdata, _, address = sock.recvmsg(65535, socket.CMSG_SPACE(AUXDATA.size))
                except TimeoutError:
                    break
                if address[2] == socket.PACKET_OUTGOING:
                    continue
                frame = Ether(_with_tag(data, ancdata))
                self._answer_arp(sock, frame)
                received.append(frame)
            return received

    def _answer_arp(self, sock: socket.socket, frame: Packet) -> None:
        """Answer who-has for the probe's own source address (and only that), in the probe's VLAN."""
        arp = frame.getlayer(ARP)
        if self.answer_arp_for is None or arp is None or arp.op != 1 or arp.pdst != self.answer_arp_for:
            return
        reply: Packet = Ether(dst=arp.hwsrc, src=self.mac)
        for tag in self.tags:
            reply = reply / Dot1Q(vlan=tag)
        self.budget.take(1)
        sock.send(bytes(reply / ARP(op=2, hwsrc=self.mac, psrc=self.answer_arp_for, hwdst=arp.hwsrc, pdst=arp.psrc)))


class DryWire:
    """Records every frame instead of sending it; nothing comes back."""

    def __init__(self, interface: str, netns: str | None, sent: list[tuple[str, Packet]], budget: Budget) -> None:
        self.interface, self.netns, self.sent, self.budget = interface, netns, sent, budget
        path = Path(f"/sys/class/net/{interface}/address")
        self.mac = path.read_text().strip() if netns is None and path.is_file() else DRY_MAC

    def exchange(self, frames: list[Packet], wait: float) -> list[Packet]:
        self.budget.take(len(frames))
        where = f"{self.interface}" + (f" (netns {self.netns})" if self.netns else "")
        self.sent.extend((where, frame) for frame in frames)
        return []


def _mac(iface: str) -> str:
    """The MAC address of ``iface`` in the current namespace."""
    try:
        with socket.socket(socket.AF_PACKET, socket.SOCK_RAW) as sock:
            sock.bind((iface, 0))
            return ":".join(f"{b:02x}" for b in sock.getsockname()[4][:6])
    except OSError as exc:
        raise InputError(f"no usable interface {iface!r}: {exc.strerror}", key="interface") from None


def describe(frame: Packet) -> str:
    """scapy's one-line summary with each 802.1Q tag's VLAN spelled out."""
    text = frame.summary()
    layer = frame.getlayer(Dot1Q)
    while layer is not None:
        text = text.replace("Dot1Q /", f"802.1Q vlan {layer.vlan} /", 1)
        layer = layer.payload.getlayer(Dot1Q) if layer.payload else None
    return text
