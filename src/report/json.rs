//! The JSON report: a versioned public format, documented in
//! src/report/json-report.md. Change it on purpose, never by renaming a field in
//! the model: `Change` and `Report` are its only sources.

use std::io::{self, Write};

use super::Report;

pub fn render(r: &Report, w: &mut impl Write) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *w, r)?;
    writeln!(w)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::sample::sample_report;

    #[test]
    fn json_report() {
        let mut buf = Vec::new();
        render(&sample_report(), &mut buf).unwrap();
        let text = String::from_utf8(buf).unwrap();
        insta::assert_snapshot!(text);
    }

    #[test]
    fn round_trips() {
        let r = sample_report();
        let mut buf = Vec::new();
        render(&r, &mut buf).unwrap();
        let back: Report = serde_json::from_slice(&buf).unwrap();
        assert_eq!(back, r);
    }
}
