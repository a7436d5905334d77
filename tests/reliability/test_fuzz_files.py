"""Every file a user gives netops, fuzzed (issue 19).

Inputs are the shipped valid files mutated (a key dropped or added, a value of another YAML type, a string for a
list, huge and negative numbers, empty documents, syntax errors, tabs, duplicate keys, anchors and aliases,
non-UTF-8 bytes, a directory where a file is expected) and fully random YAML trees. The loaders run in process;
the property: the file loads, or an :class:`InputError` names the file (and the line where the YAML has one),
never another exception. A few fixed bad files go through the CLI: exit 2, the file on stderr, no traceback.
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from netops import config, defaults
from netops.errors import InputError, InputErrors
from netops.inventory import check as inventory_check
from netops.inventory.clab import load_topology
from netops.inventory.files import InventoryFiles
from netops.inventory.plugin import NetopsInventory
from netops.policy import lint as policy_lint
from netops.policy.loader import load_policy
from netops.policy.software import load_lifecycle
from netops.probe.plan import load_plan
from netops.settings import Settings
from netops.snmp.thresholds import load_thresholds

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data"
BAD = DATA / "reliability" / "files"
POLICY = defaults.path("policy")
DIRECTORY = b"<a directory>"  # the marker of "a directory where the file is expected"

# ---------------------------------------------------------------------------------------------------------------
# The loaders, each called as netops calls it on a user's file
# ---------------------------------------------------------------------------------------------------------------

_ZONES: dict[str, Any] = {}


def _zones() -> dict[str, Any]:
    if not _ZONES:
        _ZONES.update(load_policy([POLICY / "secretariat.yaml"]).zones)
    return _ZONES


def _inventory(path: Path, single: bool = False) -> None:
    files = InventoryFiles.of(path if single else path.parent)
    problems = inventory_check.structure_problems(files)
    if any(p.severity == "error" for p in problems):
        raise InputErrors([p.as_error() for p in problems if p.severity == "error"])
    inventory_check.check(files)
    NetopsInventory(str(path if single else path.parent)).load()


def _config(path: Path) -> None:
    config.read(path)
    Settings.resolve(env={}, config=path)


def _policy(path: Path) -> None:
    _, errors = policy_lint.lint([path])
    if errors:
        raise InputErrors(errors)
    load_policy([path])


LOADERS: dict[str, Callable[[Path], Any]] = {
    "inventory": _inventory,
    "hosts file": lambda path: _inventory(path, single=True),  # containerlab's nornir-simple-inventory.yml
    "netops.yaml": _config,
    "policy": _policy,
    "thresholds": load_thresholds,
    "probe plan": lambda path: load_plan(path, _zones()),
    "topology": load_topology,
    "lifecycle": load_lifecycle,
}

INVENTORY = defaults.path("inventory")
SEEDS: dict[str, list[Path]] = {
    "inventory": [INVENTORY / "hosts.yaml", INVENTORY / "groups.yaml", INVENTORY / "defaults.yaml",
                  DATA / "inventory" / "ok" / "hosts.yaml", DATA / "inventory" / "ok" / "groups.yaml"],
    "hosts file": [DATA / "lab" / "clab-mini" / "nornir-simple-inventory.yml"],
    "netops.yaml": [defaults.path("netops.yaml")],
    "policy": [POLICY / "secretariat.yaml", POLICY / "hardening.yaml"],
    "thresholds": [POLICY / "thresholds.yaml"],
    "probe plan": [BAD / "seeds" / "plan.yaml"],
    "topology": [DATA / "lab" / "mini.clab.yml", DATA / "resilience" / "vrrp" / "topology.clab.yml"],
    "lifecycle": [POLICY / "lifecycle.yaml"],
}


def _place(kind: str, seed: Path, root: Path, content: bytes) -> Path:
    """Write ``content`` where ``kind``'s loader reads it: an inventory file goes beside copies of its seed's
    siblings, so hosts, groups and defaults still refer to each other."""
    if kind == "inventory":
        target = root / "inv" / seed.name
        target.parent.mkdir()
        for sibling in ("hosts.yaml", "groups.yaml", "defaults.yaml"):
            if (seed.parent / sibling).is_file():
                (target.parent / sibling).write_bytes((seed.parent / sibling).read_bytes())
    else:
        target = root / seed.name
        if kind == "topology":  # startup-config files are relative to the topology
            for other in seed.parent.iterdir():
                if other != seed:
                    (root / other.name).symlink_to(other)
    if target.exists():
        target.unlink()
    if content == DIRECTORY:
        target.mkdir()
    else:
        target.write_bytes(content)
    return target


def _holds(kind: str, seed: Path, content: bytes) -> None:
    """The property: loads, or an InputError that names the file (and the line of a YAML syntax error)."""
    with tempfile.TemporaryDirectory() as tmp:
        target = _place(kind, seed, Path(tmp), content)
        try:
            LOADERS[kind](target)
        except InputError as exc:
            text = str(exc)
            named = str(target.parent) if kind == "inventory" else str(target)
            assert named in text, f"{kind}: the error does not name the file: {text!r}"
            if _syntax_error(content):
                errors = exc.errors if isinstance(exc, InputErrors) else [exc]
                assert any(e.line for e in errors), f"{kind}: a YAML syntax error without a line: {text!r}"


def _syntax_error(content: bytes) -> bool:
    try:
        yaml.load(content.decode("utf-8"), Loader=_LOADER)
    except yaml.MarkedYAMLError as exc:
        return exc.problem_mark is not None
    except Exception:
        return False
    return False


# ---------------------------------------------------------------------------------------------------------------
# Generated documents
# ---------------------------------------------------------------------------------------------------------------

ODD_SCALARS = ["", "~", "yes", "no", "all", "-1", "0", "1e400", ".nan", "2027-02-30", "10.0.0.1/24", "a:b",
               "*", "null", "<<", "Gi1/0/1", "eth1", "ios", "@", "\u00e9\u4e2d", "x" * 300]
scalars = st.one_of(
    st.none(), st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.sampled_from([-1, 0, 2**63, -(2**63), 10**400]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12), st.sampled_from(ODD_SCALARS),
    st.dates(min_value=dt.date(1, 1, 1)),
)
keys = st.one_of(st.text(max_size=10), st.integers(-3, 3), st.booleans(), st.none(),
                 st.sampled_from(["models", "topology", "nodes", "links", "hosts", "groups", "data", "rules",
                                  "zones", "vantages", "targets", "trunks", "device_down", "inventory", "policy"]))
trees = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
                     max_leaves=16)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, prefix + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out += _paths(value, prefix + (i,))
    return out


def _dump(node: Any) -> bytes:
    try:
        return yaml.dump(node, Dumper=_DUMPER, sort_keys=False, allow_unicode=True).encode("utf-8")
    except (yaml.YAMLError, ValueError, OverflowError):  # a float the emitter refuses
        return yaml.safe_dump(repr(node)).encode("utf-8")


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


@functools.lru_cache(maxsize=16)
def _parsed(text: str) -> Any:
    return yaml.load(text, Loader=_LOADER)


@st.composite
def tree_mutation(draw: st.DrawFn, text: str) -> bytes:
    """The seed's tree with one node dropped, replaced, retyped or given an unknown key (a few times over)."""
    doc = copy.deepcopy(_parsed(text))
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(doc)
        path = draw(st.sampled_from(paths))
        new = draw(st.one_of(
            trees, st.sampled_from(["", "a-string", "10.0.0.1", 2**64, -(2**64), -1, 1.5, [], {}, None, [[]]]),
        ))
        op = draw(st.sampled_from(["drop", "replace", "unknown key", "stringify", "listify"]))
        if not path:
            doc = new if op in ("replace", "drop") else doc
            continue
        parent = doc
        for key in path[:-1]:
            parent = parent[key]
        last = path[-1]
        old = parent[last]
        if op == "drop":
            del parent[last]
        elif op == "replace":
            parent[last] = new
        elif op == "unknown key" and isinstance(old, dict):
            old[draw(keys)] = new
        elif op == "stringify":
            parent[last] = " ".join(map(str, old)) if isinstance(old, list) else str(old)
        elif op == "listify":
            parent[last] = [old]
        else:
            parent[last] = new
    return _dump(doc)


SYNTAX = list(":[]{}&*!|>%@`'\"#-?,\t\n") + [": :", "- -", "&", "*nope", "!!python/object:os.system", "{{", "\t- x\n"]


@st.composite
def text_mutation(draw: st.DrawFn, text: str) -> bytes:
    """The seed's text with a syntax error, a tab, a line twice, an anchor, bad bytes, or cut short."""
    lines = text.splitlines(keepends=True) or ["\n"]
    data = text.encode("utf-8")
    op = draw(st.sampled_from(["empty", "insert", "tab", "duplicate", "truncate", "bytes", "anchor", "alias",
                               "laughs", "garbage", "directory", "deep"]))
    pos = draw(st.integers(0, max(len(data) - 1, 0)))
    if op == "empty":
        return draw(st.sampled_from([b"", b"---\n", b"~\n", b"\n\n", b"# only a comment\n", b"--- \n...\n", b"[]\n"]))
    if op == "insert":
        return data[:pos] + draw(st.sampled_from(SYNTAX)).encode() + data[pos:]
    if op == "tab":
        i = draw(st.integers(0, len(lines) - 1))
        return "".join(lines[:i] + ["\t" + lines[i]] + lines[i + 1:]).encode()
    if op == "duplicate":
        i = draw(st.integers(0, len(lines) - 1))
        return "".join(lines[:i + 1] + [lines[i]] + lines[i + 1:]).encode()
    if op == "truncate":
        return data[:pos]
    if op == "bytes":
        bad = draw(st.sampled_from([b"\xff", b"\xfe\xff", b"\xc3", b"\x00", b"\x1b[0m", b"\xed\xa0\x80", b"\x85"]))
        return data[:pos] + bad + data[pos:]
    if op == "anchor":
        i = draw(st.integers(0, len(lines) - 1))
        line = lines[i]
        if ": " in line:
            key, _, value = line.partition(": ")
            line = f"{key}: &a {value}" if value.strip() else line
        return "".join(lines[:i] + [line] + lines[i + 1:] + ["zz_alias: *a\n"]).encode()
    if op == "alias":
        i = draw(st.integers(0, len(lines) - 1))
        line = lines[i]
        if ": " in line:
            key, _, _ = line.partition(": ")
            line = f"{key}: {draw(st.sampled_from(['*a', '*nope', '&a [1, *a]', '&a {<<: *a}']))}\n"
        return "".join(lines[:i] + [line] + lines[i + 1:]).encode()
    if op == "laughs":
        return b"a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n" \
               b"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
    if op == "garbage":
        return draw(st.binary(max_size=200))
    if op == "deep":
        depth = draw(st.sampled_from([64, 300]))  # deeper: test_deep_nesting
        return b"[" * depth + b"]" * depth
    return DIRECTORY


def documents(kind: str) -> st.SearchStrategy[tuple[Path, bytes]]:
    def for_seed(seed: Path) -> st.SearchStrategy[tuple[Path, bytes]]:
        text = seed.read_text(encoding="utf-8")
        content = st.one_of(tree_mutation(text), text_mutation(text), trees.map(_dump),
                            tree_mutation(text).map(lambda b: b.decode()).flatmap(text_mutation))
        return content.map(lambda c: (seed, c))

    return st.sampled_from(SEEDS[kind]).flatmap(for_seed)


# ---------------------------------------------------------------------------------------------------------------
# The properties, one test per kind so each gets the profile's examples
# ---------------------------------------------------------------------------------------------------------------


def test_seeds_load() -> None:
    """The seeds are valid: a mutation test that only ever sees errors proves nothing."""
    for kind, seeds in SEEDS.items():
        for seed in seeds:
            _holds(kind, seed, seed.read_bytes())
            with tempfile.TemporaryDirectory() as tmp:
                LOADERS[kind](_place(kind, seed, Path(tmp), seed.read_bytes()))


@pytest.mark.matrix("inventory directory", "shipped files mutated (keys dropped/added, wrong types, syntax errors, tabs, duplicate keys, aliases, bad bytes) and random YAML")
@given(documents("inventory"))
@example((INVENTORY / "groups.yaml", b"true\n"))
@example((INVENTORY / "defaults.yaml", b"true\n"))
@example((INVENTORY / "hosts.yaml", b"h1:\n  hostname: 10.0.0.1\n  groups: [[a]]\n"))
@example((INVENTORY / "hosts.yaml", b"? [a]\n: b\n"))
@example((INVENTORY / "hosts.yaml", b"ap:\n  hostname: 10.0.0.9\n  data: {controller: [wlc], switch: [s], switch_port: p}\n"))
@example((INVENTORY / "groups.yaml", b"g:\n  connection_options: {netmiko: text}\n"))
@example((INVENTORY / "defaults.yaml", b"connection_options: text\nport: -1\n"))
def test_inventory(case: tuple[Path, bytes]) -> None:
    _holds("inventory", *case)


@pytest.mark.matrix("inventory as one hosts file", "containerlab's nornir inventory mutated, random YAML")
@given(documents("hosts file"))
def test_hosts_file(case: tuple[Path, bytes]) -> None:
    _holds("hosts file", *case)


@pytest.mark.matrix("netops.yaml", "shipped file mutated, random YAML")
@given(documents("netops.yaml"))
@example((SEEDS["netops.yaml"][0], b"inventory: inv\x00\n"))
@example((SEEDS["netops.yaml"][0], b"\xff\xfe"))
@example((SEEDS["netops.yaml"][0], b"policy: policy/secretariat.yaml\n"))
def test_netops_yaml(case: tuple[Path, bytes]) -> None:
    _holds("netops.yaml", *case)


@pytest.mark.matrix("policy and hardening rules", "shipped policies mutated, random YAML")
@given(documents("policy"))
@example((POLICY / "hardening.yaml", b"rules:\n- id: x\n  kind: {}\n"))
@example((POLICY / "hardening.yaml", b"rules:\n- {id: r, kind: redundancy, options: text}\n"))
@example((POLICY / "hardening.yaml", b""))
@example((POLICY / "hardening.yaml", b"rules:\n- 2027-02-30\n"))
def test_policy(case: tuple[Path, bytes]) -> None:
    _holds("policy", *case)


@pytest.mark.matrix("SNMP thresholds", "shipped file mutated, random YAML")
@given(documents("thresholds"))
@example((POLICY / "thresholds.yaml", b"cpu: {percent: .nan}\n"))
@example((POLICY / "thresholds.yaml", b"memory: {percent: 1" + b"0" * 400 + b"}\n"))
@example((POLICY / "thresholds.yaml", b"device_down: {severity: [critical]}\n"))
def test_thresholds(case: tuple[Path, bytes]) -> None:
    _holds("thresholds", *case)


@pytest.mark.matrix("probe plan", "seed plan mutated, random YAML")
@given(documents("probe plan"))
@example((SEEDS["probe plan"][0], b""))
def test_probe_plan(case: tuple[Path, bytes]) -> None:
    _holds("probe plan", *case)


@pytest.mark.matrix("containerlab topology", "shipped topologies mutated, random YAML")
@given(documents("topology"))
@example((SEEDS["topology"][0], b"topology:\n  defaults: [a]\n  nodes: {n: {kind: linux}}\n"))
@example((SEEDS["topology"][0], b"topology:\n  nodes: {n: {kind: linux, labels: [a], startup-config: 5}}\n"))
@example((SEEDS["topology"][0], b"topology:\n  nodes: {n: {labels: {netops-platform: cisco_xe}}}\n  links: [{endpoints: 5}]\n"))
def test_topology(case: tuple[Path, bytes]) -> None:
    _holds("topology", *case)


@pytest.mark.matrix("lifecycle table", "shipped table mutated, random YAML")
@given(documents("lifecycle"))
@example((SEEDS["lifecycle"][0], b"? ''\n: null\n0: null\n"))
def test_lifecycle(case: tuple[Path, bytes]) -> None:
    _holds("lifecycle", *case)


# ---------------------------------------------------------------------------------------------------------------
# Fixed bad files through the CLI: exit 2, the file named on stderr, no traceback (a subprocess each: few)
# ---------------------------------------------------------------------------------------------------------------


def _netops(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NETOPS_")}
    env["XDG_CONFIG_HOME"] = str(cwd / "xdg")  # no user configuration of the machine running the tests
    return subprocess.run([sys.executable, "-m", "netops", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=120, check=False)


def _bad_config(tmp: Path, key: str, bad: Path) -> Path:
    path = tmp / "netops.yaml"
    path.write_text(f"{key}: {bad}\n", encoding="utf-8")
    return path


CLI_CASES = {
    "inventory": lambda tmp: (["--inventory", str(BAD / "bad-inventory"), "--data-dir", str(tmp), "inventory", "check"],
                              BAD / "bad-inventory" / "hosts.yaml"),
    "netops.yaml": lambda tmp: (["--config", str(BAD / "bad-netops.yaml"), "config", "show"], BAD / "bad-netops.yaml"),
    "policy": lambda tmp: (["policy", "lint", str(BAD / "bad-policy.yaml")], BAD / "bad-policy.yaml"),
    "topology": lambda tmp: (["inventory", "import", "--from-clab", str(BAD / "bad.clab.yml")], BAD / "bad.clab.yml"),
    "thresholds": lambda tmp: (["--config", str(_bad_config(tmp, "thresholds", BAD / "bad-thresholds.yaml")),
                                "--data-dir", str(tmp), "poll", "--once"], BAD / "bad-thresholds.yaml"),
}


@pytest.mark.matrix("user files through the CLI", "fixed bad file per kind: exit 2, file named, no traceback")
@pytest.mark.parametrize("kind", sorted(CLI_CASES))
def test_cli_bad_file(kind: str, tmp_path: Path) -> None:
    args, bad = CLI_CASES[kind](tmp_path)
    result = _netops(*args, cwd=tmp_path)
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert str(bad) in result.stderr, result.stderr
    assert "Traceback" not in result.stderr + result.stdout


@pytest.mark.matrix("user files through the CLI", "fixed bad files loaded in process")
@pytest.mark.parametrize("bad", sorted(p.name for p in BAD.iterdir() if p.is_file()))
def test_fixed_bad_files_in_process(bad: str) -> None:
    """Each fixed bad file is an InputError of its loader naming file and line (the CLI test runs only a few)."""
    kind = {"bad-netops.yaml": "netops.yaml", "bad-policy.yaml": "policy", "bad-thresholds.yaml": "thresholds",
            "bad.clab.yml": "topology", "bad-lifecycle.yaml": "lifecycle"}[bad]
    with pytest.raises(InputError) as exc:
        LOADERS[kind](BAD / bad)
    errors = exc.value.errors if isinstance(exc.value, InputErrors) else [exc.value]
    assert all(e.file == str(BAD / bad) and e.line for e in errors), [str(e) for e in errors]


# ---------------------------------------------------------------------------------------------------------------
# Nothing half-written: init and inventory import onto a bad target leave no partial file
# ---------------------------------------------------------------------------------------------------------------


def _files(root: Path) -> set[Path]:
    return {p.relative_to(root) for p in root.rglob("*")}


@pytest.mark.matrix("nothing half-written", "netops init / inventory import onto a bad target")
@pytest.mark.parametrize("blocker", ["policy", "inventory"])
def test_init_onto_a_bad_target_writes_nothing(blocker: str, tmp_path: Path) -> None:
    """A file where init needs a directory: an input error before anything is written."""
    from netops.services import config as config_service

    target = tmp_path / "site"
    target.mkdir()
    (target / blocker).write_text("in the way\n", encoding="utf-8")
    before = _files(tmp_path)
    with pytest.raises(InputError) as exc:
        config_service.init(target, "jammu")
    assert str(target / blocker) in str(exc.value)
    assert _files(tmp_path) == before


@pytest.mark.matrix("nothing half-written", "netops init / inventory import onto a bad target")
def test_init_into_a_file_writes_nothing(tmp_path: Path) -> None:
    from netops.services import config as config_service

    target = tmp_path / "site"
    target.write_text("a file\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        config_service.init(target, "jammu")
    assert str(target) in str(exc.value)
    assert _files(tmp_path) == {Path("site")}


@pytest.mark.matrix("nothing half-written", "netops init / inventory import onto a bad target")
@pytest.mark.parametrize("blocker", ["", "groups.yaml"])
def test_inventory_import_onto_a_bad_target_writes_nothing(blocker: str, tmp_path: Path) -> None:
    """--output is a file, or one of the three files is a directory: no hosts.yaml without its groups."""
    from netops.services import inventory as inventory_service

    inventory = inventory_service.from_clab(DATA / "lab" / "mini.clab.yml")
    target = tmp_path / "inv"
    if blocker:
        (target / blocker).mkdir(parents=True)
    else:
        target.write_text("a file\n", encoding="utf-8")
    before = _files(tmp_path)
    with pytest.raises(InputError) as exc:
        inventory_service.write_inventory(inventory, target, force=True)
    assert str(target) in str(exc.value)
    assert _files(tmp_path) == before


@pytest.mark.matrix("user files through the CLI", "5,000-deep YAML nesting")
def test_deep_nesting() -> None:
    """Nesting deeper than Python's recursion limit is an input error, not a RecursionError (once: it is slow)."""
    for kind in ("thresholds", "policy"):
        _holds(kind, SEEDS[kind][0], b"[" * 5000 + b"]" * 5000)
        _holds(kind, SEEDS[kind][0], b"a: " * 3000 + b"1\n")
