//! The config reader: any text gives a config or an error naming the file,
//! never a panic; every target resolves or fails alone.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use schemadrift::config::{interpolate, Config};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let lookup = |name: &str| (name.len() % 2 == 0).then(|| format!("v-{name}"));
    let _ = interpolate(text, &lookup);
    let path = Path::new("/srv/schemadrift.toml");
    match Config::parse(path, text) {
        Ok(cfg) => {
            let _ = cfg.each_target(&[]);
            let _ = cfg.shadow();
        }
        Err(e) => assert!(e.to_string().starts_with("/srv/schemadrift.toml"), "{e}"),
    }
});
