use std::process::ExitCode;

use clap::Parser;
use schemadrift::cli::Cli;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    match schemadrift::run::run(cli) {
        Ok(outcome) => ExitCode::from(outcome.exit_code()),
        Err(e) => {
            if is_broken_pipe(&e) {
                return ExitCode::from(0);
            }
            eprintln!("schemadrift: {e}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(e: &schemadrift::Error) -> bool {
    matches!(e, schemadrift::Error::Write { reason, .. } if reason.contains("Broken pipe"))
}
