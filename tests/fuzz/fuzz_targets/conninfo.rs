//! PostgreSQL connection strings and the password file: parsing never
//! panics, redaction removes every password, and a password file line
//! never matches what it does not name.
#![no_main]

use libfuzzer_sys::fuzz_target;
use schemadrift::conninfo;
use schemadrift::postgres::pgpass;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let redacted = conninfo::redact(text);
    if let Ok(info) = conninfo::parse(text) {
        // What redaction leaves holds no password, in whatever form it is read back.
        if let Ok(back) = conninfo::parse(&redacted) {
            assert_eq!(back.get("password"), None, "{text:?} -> {redacted:?}");
            assert_eq!(back.get("sslpassword"), None, "{text:?} -> {redacted:?}");
        }
        // A password that appears in what redaction shows must be there as
        // a password: not spelled by the scheme, an option name or another
        // value, nor stitched from two of them across a separator
        // (`postgres://u:e_x:y@host_e_x:y` shows host `host_e_x` and port `y`).
        let stitchable =
            |p: &str| p.contains([':', '@', '/', '?', '&', '=', ',', ' ', '\'', '[', ']']);
        if let Some(pw) = info
            .get("password")
            .filter(|p| p.len() >= 8 && !stitchable(p))
        {
            let others: Vec<&str> = info
                .keys()
                .filter(|k| *k != "password")
                .filter_map(|k| info.get(k))
                .collect();
            let in_names = ["postgresql://", "postgres://"]
                .iter()
                .any(|p| p.contains(pw))
                || conninfo::KEYWORDS.iter().any(|(k, _)| k.contains(pw));
            if !in_names && !others.iter().any(|v| v.contains(pw)) {
                assert!(!redacted.contains(pw), "{text:?} -> {redacted:?}");
            }
        }
    }
    let key = pgpass::Key {
        host: "db",
        port: "5432",
        dbname: "app",
        user: "alice",
    };
    if let Some(pw) = pgpass::find(text, key) {
        assert!(!pw.contains('\n'));
    }
});
