//! The SQL statement splitter (PostgreSQL's own parser, through pg_query)
//! and the up-section readers of goose and dbmate files: any migration text
//! splits into statements or gives an error at a line of the file, never a
//! panic; an up section keeps every line where it was.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use schemadrift::migrations::discover::{dbmate_up, goose_up};
use schemadrift::migrations::split::split_text;

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let path = Path::new("db/migrations/1_fuzz.sql");
    let offset = usize::from(first % 4);
    let last_line = offset + text.split('\n').count();
    match split_text(path, text, offset) {
        Ok(statements) => {
            for st in &statements {
                assert!(
                    st.line > offset && st.line <= last_line,
                    "line {} of {last_line}",
                    st.line
                );
                assert!(!st.sql.trim().is_empty(), "an empty statement");
            }
        }
        Err(e) => {
            let msg = e.to_string();
            assert!(msg.starts_with("db/migrations/1_fuzz.sql:"), "{msg}");
        }
    }
    let newlines = text.matches('\n').count();
    for up in [goose_up(path, text), dbmate_up(path, text)] {
        match up {
            Ok(up) => assert_eq!(up.matches('\n').count(), newlines, "a line moved: {up:?}"),
            Err(e) => assert!(
                e.to_string().starts_with("db/migrations/1_fuzz.sql:"),
                "{e}"
            ),
        }
    }
});
