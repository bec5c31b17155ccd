#!/usr/bin/env python3
"""Fails when a target imports a module that Package.swift does not name as its dependency, or names
a dependency that none of its files imports.

An undeclared import builds only because some other dependency happens to bring the module along,
and breaks when that one changes; an unused dependency costs build time for nothing.

    swift package dump-package | tools/check-imports.py
"""

import json
import os
import re
import sys

# Modules of the toolchain and the system, which no Package.swift declares.
SYSTEM = {
    "Foundation", "FoundationEssentials", "FoundationNetworking", "Glibc", "Musl", "Darwin", "Dispatch",
    "Synchronization", "Testing", "XCTest", "_Concurrency", "Observation",
}
IMPORT = re.compile(
    r"^\s*(?:@[\w()]+\s+)*(?:(?:public|package|internal|fileprivate|private)\s+)?"
    r"import\s+(?:(?:struct|class|enum|protocol|typealias|func|var|let)\s+)?([A-Za-z_][A-Za-z_0-9]*)",
    re.M,
)


def target_path(target):
    if target.get("path"):
        return target["path"]
    return os.path.join("Tests" if target["type"] == "test" else "Sources", target["name"])


def declared(target):
    names = set()
    for dependency in target.get("dependencies", []):
        for kind in ("byName", "target", "product"):
            if kind in dependency:
                names.add(dependency[kind][0])
    return names


def imports(path):
    found = set()
    for folder, _, files in os.walk(path):
        for name in files:
            if name.endswith(".swift"):
                with open(os.path.join(folder, name), encoding="utf-8") as handle:
                    found.update(IMPORT.findall(handle.read()))
    return found


def main():
    package = json.load(sys.stdin)
    problems = []
    checked = 0
    for target in package["targets"]:
        if target["type"] in ("system", "binary", "plugin", "macro"):
            continue
        path = target_path(target)
        if not os.path.isdir(path):
            problems.append(f"{target['name']}: no folder {path}")
            continue
        checked += 1
        used, named = imports(path), declared(target)
        for module in sorted(used - named - SYSTEM - {target["name"]}):
            problems.append(f"{target['name']} imports {module}, which its dependencies in Package.swift do not name")
        for module in sorted(named - used):
            problems.append(f"{target['name']} depends on {module}, which none of its files imports")
    for problem in problems:
        print(problem, file=sys.stderr)
    if checked == 0:
        print("no targets checked: is this the package's root?", file=sys.stderr)
        return 1
    print(f"{checked} targets checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
