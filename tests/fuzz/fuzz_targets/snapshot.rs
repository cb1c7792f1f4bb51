//! The snapshot reader: any bytes give a snapshot or an error, never a
//! panic; a snapshot that reads writes back to JSON that reads as the same.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use schemadrift::source::parse_snapshot;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let path = Path::new("fuzz.json");
    if let Ok(snap) = parse_snapshot(path, text) {
        let again = parse_snapshot(path, &snap.to_json()).expect("a written snapshot reads back");
        assert_eq!(again, snap, "the JSON round trip changed the snapshot");
    }
});
