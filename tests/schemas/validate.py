#!/usr/bin/env python3
"""validate.py SCHEMA FILE [--jsonl [--shapes]]: validates FILE (one JSON
document, or with --jsonl one per line) against the JSON Schema SCHEMA;
exits 1 naming the first invalid document, 77 when python3-jsonschema is
missing. With --shapes, documents that differ only in the values of
non-negative integers and of strings under "fields" are validated once:
exact for a schema that constrains those with types and `minimum: 0` only,
as docs/schemas/trace.schema.json does."""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("skipped: python3-jsonschema is not installed")
    sys.exit(77)


def shape(doc, in_fields=False):
    if isinstance(doc, dict):
        return {k: shape(v, in_fields or k == "fields") for k, v in doc.items()}
    if isinstance(doc, list):
        return [shape(v, in_fields) for v in doc]
    if isinstance(doc, int) and not isinstance(doc, bool) and doc >= 0:
        return 0
    if isinstance(doc, str) and in_fields:
        return ""
    return doc


def main():
    schema_path, path = sys.argv[1], sys.argv[2]
    jsonl = "--jsonl" in sys.argv[3:]
    shapes = "--shapes" in sys.argv[3:]
    seen = set()
    with open(schema_path) as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema)
    with open(path) as f:
        docs = [(n + 1, line) for n, line in enumerate(f)] if jsonl else [(1, f.read())]
    if not docs:
        print(f"{path}: empty")
        return 1
    for n, text in docs:
        try:
            doc = json.loads(text)
        except json.JSONDecodeError as e:
            print(f"{path}:{n}: not JSON: {e}")
            return 1
        if shapes:
            key = json.dumps(shape(doc), sort_keys=True)
            if key in seen:
                continue
            seen.add(key)
        errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
        if errors:
            e = errors[0]
            print(f"{path}:{n}: {'/'.join(map(str, e.path)) or '(root)'}: {e.message}")
            return 1
    print(f"{path}: {len(docs)} document(s) valid against {schema_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
