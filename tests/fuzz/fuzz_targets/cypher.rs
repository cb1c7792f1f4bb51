//! The Cypher migration parser: splitting a script, parsing each statement
//! and folding the schema commands never panics, and errors name a line of
//! the script.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use schemadrift::neo4j::cypher;
use schemadrift::neo4j::migrations::{FoldOptions, Folder};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let lines = text.lines().count().max(1);
    match cypher::split(text) {
        Ok(statements) => {
            for st in &statements {
                assert!(
                    st.line >= 1 && st.line <= lines,
                    "line {} of {lines}",
                    st.line
                );
                let _ = cypher::parse(&st.text);
            }
        }
        Err(e) => assert!(
            e.line >= 1 && e.line <= lines + 1,
            "line {} of {lines}",
            e.line
        ),
    }
    let mut folder = Folder::new(&FoldOptions::default());
    if folder.fold_file(Path::new("V1__fuzz.cypher"), text).is_ok() {
        serde_json::to_string(&folder.schema).expect("the folded schema serializes");
    }
});
