"""``kind: software``: approved software versions per model, and the models' end of support.

A rule selects hosts (``match`` takes host fields only) and says in ``options``
what it checks:

| option | meaning |
|---|---|
| ``approved`` | a list of ``{models, exact | minimum | versions}``: the first entry whose ``models`` glob(s) match the device's model (as printed, or as the lifecycle table names it) says which versions are approved (exactly one version, that version or later, or one of a list) |
| ``lifecycle`` | true: the model's end of support, from the lifecycle table (``lifecycle:`` in netops.yaml) |
| ``warn_days`` | with ``lifecycle``: a model whose end of support is within this many days is a finding too (default 0: only past) |

The model and version come from the facts ``netops inventory facts`` stored
(a controller's APs from the controller's AP list); the lifecycle check falls
back to the inventory's ``model:``. A host without stored facts is a notice,
never a finding: netops does not know what it runs.

Versions compare component by component, numerically, so IOS-XE
``17.09.04a`` equals ``17.9.4a`` and is later than ``17.9.4``; AireOS
``8.10.190.0``, ArubaOS ``8.10.0.12`` and OpenWrt ``23.05.3`` read the same
way; ``15.2(7)E3`` reads as 15.2.7.E3; a ``-rc1`` suffix is earlier than the
release, a ``_88234`` build number is ignored.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from netops.errors import InputError
from netops.inventory.hosts import HostInfo
from netops.policy.findings import Detail, Finding, Notice
from netops.policy.policy import Rule
from netops.yamlfile import YamlMap, load

OPTIONS: dict[str, Any] = {"approved": None, "lifecycle": False, "warn_days": 0}  # defaults of a software rule's options
APPROVAL_KEYS = ("exact", "minimum", "versions")  # an approved entry has exactly one
VERSION_OBJECT, LIFECYCLE_OBJECT = "software", "hardware"  # the objects findings name (waivers: ``interface:``)

_VERSION = re.compile(r"^[0-9][0-9A-Za-z()]*(\.[0-9][0-9A-Za-z()]*)*(-[0-9A-Za-z.]+)?([_+][0-9A-Za-z.-]+)?$")  # each part starts
# with a digit: 17.9.4a, 15.2(7)E3, 23.05.0-rc1, 8.10.0.12_88234; never 17.9.x
_TOKEN = re.compile(r"[0-9]+|[A-Za-z]+")

Token = tuple[int, int, str]  # (0, number, "") for digits, (1, 0, letters) for letters: comparable in any mix


@dataclass(frozen=True, order=True)
class Version:
    """A software version as the vendors print it, comparable."""

    release: tuple[tuple[Token, ...], ...]
    final: int  # 1 for a release, 0 for a pre-release (``-rc1``, ``-beta``): earlier than the release
    pre: tuple[Token, ...]
    text: str = field(compare=False)

    def __str__(self) -> str:
        return self.text


def _tokens(part: str) -> tuple[Token, ...]:
    return tuple((0, int(t), "") if t.isdigit() else (1, 0, t.lower()) for t in _TOKEN.findall(part))


def parse_version(text: str) -> Version:
    """``text`` as a :class:`Version`; ValueError when it is not a version (``17.09.04a``, ``8.10.190.0``...)."""
    raw = str(text).strip()
    if not _VERSION.match(raw):
        raise ValueError(f"{text!r} is not a software version (e.g. 17.9.4a, 8.10.190.0, 23.05.3)")
    main = re.split(r"[_+]", raw, maxsplit=1)[0]
    main, _, pre = main.partition("-")
    if pre == main:  # Aruba Instant prints "8.10.0.12-8.10.0.12": the same version twice, not a pre-release
        pre = ""
    parts = [_tokens(p) for p in re.split(r"[.()]+", main) if p]
    while len(parts) > 1 and parts[-1] == ((0, 0, ""),):  # 8.10.190.0 == 8.10.190
        parts.pop()
    return Version(tuple(parts), 0 if pre else 1, _tokens(pre), raw)


# --- the lifecycle table -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ModelLifecycle:
    """One model's published end-of-life milestones (None: not announced) and where they were read."""

    model: str
    vendor: str = ""
    end_of_sale: dt.date | None = None
    end_of_support: dt.date | None = None  # the last date of support
    source: str = ""
    checked: dt.date | None = None  # when the source was last read
    note: str = ""
    aliases: tuple[str, ...] = ()  # other names the devices print for the model
    line: int = 0


@dataclass(frozen=True)
class Lifecycle:
    """The lifecycle table: models by (lower-case) name and alias."""

    file: str = ""
    models: dict[str, ModelLifecycle] = field(default_factory=dict)

    def find(self, model: str) -> ModelLifecycle | None:
        return self.models.get(model.strip().lower())


LIFECYCLE_KEYS = ("vendor", "end_of_sale", "end_of_support", "source", "checked", "note", "aliases")


def _date(entry: YamlMap, key: str, file: str, where: str) -> dt.date | None:
    value = entry.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        raise InputError("a date (YYYY-MM-DD), not a time", file=file, line=entry.where(key), key=f"{where}.{key}")
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise InputError(f"{value!r} is not a date (YYYY-MM-DD, or \"\" when none is published)", file=file,
                         line=entry.where(key), key=f"{where}.{key}") from None


def load_lifecycle(path: str | Path) -> Lifecycle:
    """The lifecycle table of ``path`` (``models: {MODEL: {end_of_sale, end_of_support, source, ...}}``);
    an unknown key, a bad date or a model named twice raises InputError with file, line and key."""
    file = str(path)
    doc = load(path)
    if not isinstance(doc, YamlMap) or not isinstance(doc.get("models"), YamlMap) or set(doc) - {"models"}:
        extra = sorted(set(doc) - {"models"}, key=str) if isinstance(doc, YamlMap) else []
        raise InputError("a lifecycle table is a mapping with one key, 'models' (MODEL -> end_of_sale, end_of_support, "
                         "source)", file=file, line=doc.where(extra[0]) if extra else 1, key=extra[0] if extra else "models")
    models: dict[str, ModelLifecycle] = {}
    for name, entry in doc["models"].items():
        where = f"models.{name}"
        line = doc["models"].where(name)
        if not isinstance(entry, YamlMap):
            raise InputError("must be a mapping (end_of_sale, end_of_support, source, ...)", file=file, line=line, key=where)
        for key in entry:
            if key not in LIFECYCLE_KEYS:
                raise InputError(f"unknown key (expected one of: {', '.join(LIFECYCLE_KEYS)})", file=file,
                                 line=entry.where(key), key=f"{where}.{key}")
        if not str(entry.get("source") or "").strip():
            raise InputError("every model names the source of its dates (the bulletin, or the page checked when none "
                             "is published)", file=file, line=line, key=f"{where}.source")
        aliases = entry.get("aliases") or []
        if not isinstance(aliases, list) or not all(isinstance(a, str) for a in aliases):
            raise InputError("a list of model names", file=file, line=entry.where("aliases"), key=f"{where}.aliases")
        item = ModelLifecycle(
            model=str(name), vendor=str(entry.get("vendor") or ""), end_of_sale=_date(entry, "end_of_sale", file, where),
            end_of_support=_date(entry, "end_of_support", file, where), source=str(entry["source"]).strip(),
            checked=_date(entry, "checked", file, where), note=str(entry.get("note") or ""), aliases=tuple(aliases), line=line,
        )
        for key in (str(name), *aliases):
            if key.lower() in models:
                raise InputError(f"model {key!r} is listed twice (also as {models[key.lower()].model})", file=file, line=line,
                                 key=where)
            models[key.lower()] = item
    return Lifecycle(file, models)


# --- rule options ----------------------------------------------------------------------------------------------


def option_errors(options: Any) -> list[tuple[list[Any], str]]:
    """Meaning errors of a software rule's ``options`` the schema cannot see: (path under options, message)."""
    if not isinstance(options, dict):
        return [([], "a software rule needs options: 'approved' versions, 'lifecycle: true', or both")] if options is None else []
    errors: list[tuple[list[Any], str]] = []
    if not options.get("approved") and not options.get("lifecycle"):
        errors.append(([], "a software rule checks 'approved' versions, 'lifecycle: true', or both"))
    approved = options.get("approved")
    for i, entry in enumerate(approved if isinstance(approved, list) else []):
        if not isinstance(entry, dict):
            continue
        given = [k for k in APPROVAL_KEYS if k in entry]
        if len(given) != 1:
            errors.append((["approved", i], f"exactly one of {', '.join(APPROVAL_KEYS)} (given: {', '.join(given) or 'none'})"))
        for key in given:
            values = entry[key] if isinstance(entry[key], list) else [entry[key]]
            for n, value in enumerate(values):
                try:
                    parse_version(str(value))
                except ValueError as exc:
                    errors.append((["approved", i, key] + ([n] if isinstance(entry[key], list) else []), str(exc)))
    if options.get("warn_days") and not options.get("lifecycle"):
        errors.append((["warn_days"], "warn_days needs 'lifecycle: true'"))
    return errors


@dataclass(frozen=True)
class Approval:
    """One ``approved`` entry, compiled."""

    models: tuple[str, ...]  # globs, case-insensitive
    how: str  # exact, minimum, versions
    versions: tuple[Version, ...]

    @classmethod
    def of(cls, raw: dict[str, Any]) -> Approval:
        models = raw.get("models", "*")
        how = next(k for k in APPROVAL_KEYS if k in raw)
        values = raw[how] if isinstance(raw[how], list) else [raw[how]]
        return cls(tuple(models if isinstance(models, list) else [models]), how, tuple(parse_version(str(v)) for v in values))

    def covers(self, model: str) -> bool:
        return any(fnmatch.fnmatchcase(model.lower(), glob.lower()) for glob in self.models)

    def allows(self, version: Version) -> bool:
        if self.how == "minimum":
            return version >= self.versions[0]
        return version in self.versions

    def wanted(self) -> str:
        texts = [v.text for v in self.versions]
        if self.how == "minimum":
            return f"{texts[0]} or later"
        return texts[0] if self.how == "exact" else "one of " + ", ".join(texts)


# --- evaluation ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HostFacts:
    """What a host's stored facts say, as software rules read them."""

    model: str = ""
    version: str = ""
    collected: str = ""  # when (ISO 8601)
    via: str = ""  # "" for the device itself, else the controller whose AP list said it


@dataclass
class SoftwareInputs:
    """The stored facts by host name, and the lifecycle table (None: not loaded)."""

    facts: dict[str, HostFacts] = field(default_factory=dict)
    lifecycle: Lifecycle | None = None
    today: dt.date | None = None


class Software:
    """Evaluates one software rule on the inventory's hosts and their stored facts."""

    def __init__(self, rule: Rule, hosts: dict[str, HostInfo], inputs: SoftwareInputs | None):
        self.rule, self.hosts = rule, hosts
        self.inputs = inputs or SoftwareInputs()
        self.options = OPTIONS | rule.options
        self.approved = [Approval.of(a) for a in self.options["approved"] or []]
        self.today = self.inputs.today or dt.date.today()
        self.findings: list[Finding] = []
        self.notices: list[Notice] = []
        self.checked = 0

    def _finding(self, host: HostInfo, obj: str, detail: Detail) -> None:
        self.findings.append(Finding(rule=self.rule.id, title=self.rule.title, severity=self.rule.severity, host=host.name,
                                     site=host.site, object=obj, kind="software", details=(detail,)))

    def _notice(self, host: HostInfo, kind: str, message: str) -> None:
        self.notices.append(Notice(kind, f"{host.name}: {message}", host=host.name, rule=self.rule.id))

    def run(self) -> None:
        for name, host in self.hosts.items():
            if not all(c.matches(host) for c in self.rule.host_match):
                continue
            facts = self.inputs.facts.get(name)
            if self.approved:
                self._version(host, facts)
            if self.options["lifecycle"]:
                self._lifecycle(host, facts)

    def _version(self, host: HostInfo, facts: HostFacts | None) -> None:
        if facts is None or not facts.version:
            said = "no stored facts" if facts is None else "its stored facts have no software version"
            self._notice(host, "no-facts", f"software version not checked: {said} (run netops inventory facts)")
            return
        model = facts.model or host.model
        known = self.inputs.lifecycle.find(model) if self.inputs.lifecycle is not None and model else None
        names = [model] + ([known.model] if known is not None else [])  # "505" as printed, "AP-505" as the table names it
        approval = next((a for a in self.approved if any(a.covers(n) for n in names)), None)
        if approval is None:
            self._notice(host, "no-approved-version", f"model {model or '(unknown)'} has no approved version in rule {self.rule.id}")
            return
        try:
            version = parse_version(facts.version)
        except ValueError as exc:
            self._notice(host, "unreadable-version", f"software version not checked: {exc}")
            return
        self.checked += 1
        if not approval.allows(version):
            self._finding(host, VERSION_OBJECT, Detail("software version", f"{approval.wanted()} ({model})",
                                                       f"{facts.version}{_seen(facts)}"))

    def _lifecycle(self, host: HostInfo, facts: HostFacts | None) -> None:
        model = (facts.model if facts else "") or host.model
        if not model:
            self._notice(host, "no-model", "end of support not checked: no model in the stored facts or the inventory")
            return
        table = self.inputs.lifecycle
        entry = table.find(model) if table is not None else None
        if entry is None:
            where = f" ({table.file})" if table is not None and table.file else ""
            self._notice(host, "unknown-model", f"end of support not checked: model {model} is not in the lifecycle table{where}")
            return
        self.checked += 1
        end = entry.end_of_support
        if end is None:
            return
        days = (end - self.today).days
        if days >= int(self.options["warn_days"] or 0) and days >= 0:
            return
        when = f"{end.isoformat()}, {-days} day(s) ago" if days < 0 else f"{end.isoformat()}, in {days} day(s)"
        limit = int(self.options["warn_days"] or 0)
        expected = f"supported beyond {limit} day(s) from now" if limit else "a model still supported"
        self._finding(host, LIFECYCLE_OBJECT, Detail("end of support", expected,
                                                     f"{model}: last date of support {when} (source: {entry.source})"))


def _seen(facts: HostFacts) -> str:
    parts = [f"facts of {facts.collected[:10]}" if facts.collected else "", f"as {facts.via} lists it" if facts.via else ""]
    said = ", ".join(p for p in parts if p)
    return f" ({said})" if said else ""
