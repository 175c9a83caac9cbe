"""A Python client of openapi.yaml: parses every payload of the repository
(the spec's examples and the payload fixtures) with the models that
openapi-python-client generated, run by `cargo xtask contract`.

usage: parse_payloads.py GENERATED_PACKAGE_DIR MANIFEST.json

The manifest lists `{"file": ..., "schema": "ChatroomPage" | "ErrorBody"}`.
Each payload must parse, and every null of a nullable field must read as
None, not fail or become a default. A failure names the payload and the
field.
"""

import json
import pathlib
import sys

NULLABLE_ROOM_FIELDS = ["last_message_date", "established_dialogue", "last_rating", "last_summary", "last_message"]


def main() -> int:
    package_dir, manifest_path = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    sys.path.insert(0, str(package_dir.parent))
    models = __import__(f"{package_dir.name}.models", fromlist=["ChatroomPage", "ErrorBody"])
    manifest = json.loads(manifest_path.read_text())
    failures = 0
    for entry in manifest:
        path = manifest_path.parent / entry["file"]
        data = json.loads(path.read_text())
        try:
            parsed = getattr(models, entry["schema"]).from_dict(data)
            if entry["schema"] == "ChatroomPage":
                check_page(data, parsed)
            print(f"ok    {entry['file']} ({entry['schema']})")
        except Exception as error:  # noqa: BLE001 - every failure is reported, with its field
            failures += 1
            print(f"FAIL  {entry['file']} ({entry['schema']}): {type(error).__name__}: {error}")
    print(f"{len(manifest) - failures} of {len(manifest)} payloads parsed")
    return 1 if failures else 0


def check_page(data: dict, page) -> None:
    assert len(page.data) == len(data["data"]), "data: wrong number of rooms"
    for index, (raw, room) in enumerate(zip(data["data"], page.data)):
        for field in NULLABLE_ROOM_FIELDS:
            value = getattr(room, field)
            if raw[field] is None and value is not None:
                raise AssertionError(f"data[{index}].{field}: null in the payload, {value!r} in the model")
            if raw[field] is not None and value is None:
                raise AssertionError(f"data[{index}].{field}: a value in the payload, None in the model")
    for field in ["from_", "to", "next_page_url", "prev_page_url"]:
        key = field.rstrip("_")
        if data[key] is None and getattr(page, field) is not None:
            raise AssertionError(f"{key}: null in the payload, {getattr(page, field)!r} in the model")


if __name__ == "__main__":
    sys.exit(main())
