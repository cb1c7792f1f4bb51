//! The shell completion scripts, loaded and run by the real shells, and the
//! manual page, rendered by the real groff and man. scripts/test.sh installs
//! bash, zsh, fish, groff and man-db.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};

use common::run;

/// The path of `tool`, or a panic that says how to get it: a test that
/// passes without the shell it is about proves nothing.
fn tool(name: &str) -> String {
    let found = Command::new("sh")
        .args(["-c", &format!("command -v {name}")])
        .output()
        .expect("run sh");
    let path = String::from_utf8_lossy(&found.stdout).trim().to_string();
    assert!(
        found.status.success() && !path.is_empty(),
        "{name} is not installed: run the tests through scripts/test.sh, which installs it"
    );
    path
}

fn script(shell: &str) -> String {
    let (code, out, err) = run(&["completions", shell]);
    assert_eq!(code, 0, "completions {shell}: {err}");
    assert!(err.is_empty(), "completions {shell} wrote to stderr: {err}");
    out
}

/// Write the script into a temporary directory; returns its path.
fn saved(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_string_lossy().into_owned()
}

/// Run `code` in bash after sourcing the bash completion script; `complete
/// WORDS...` prints the sorted candidates bash's completion would offer
/// for the last word.
fn bash(code: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let file = saved(dir.path(), "schemadrift.bash", &script("bash"));
    let prelude = format!(
        r#"set -u
source '{file}'
complete() {{
    COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); COMP_LINE="$*"; COMP_POINT=${{#COMP_LINE}}
    COMPREPLY=()
    _schemadrift schemadrift "${{COMP_WORDS[-1]}}" "${{COMP_WORDS[-2]}}"
    printf '%s\n' "${{COMPREPLY[@]}}" | sort | tr '\n' ' '
    echo
}}
"#
    );
    let out = Command::new(tool("bash"))
        .args(["--noprofile", "--norc", "-c", &format!("{prelude}{code}")])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && stderr.is_empty(), "bash: {stderr}");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn bash_loads_the_script_and_completes_commands_options_and_values() {
    let out = bash(
        "builtin complete -p schemadrift
complete schemadrift di
complete schemadrift check --fo
complete schemadrift diff --format ''
complete schemadrift check --fail-on ''
complete schemadrift completions ''
complete schemadrift alert ''",
    );
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines[0],
        "complete -o bashdefault -o default -o nosort -F _schemadrift schemadrift"
    );
    assert_eq!(lines[1].trim(), "diff");
    assert_eq!(lines[2].trim(), "--format");
    for format in ["text", "json", "markdown", "junit", "sarif"] {
        assert!(lines[3].split(' ').any(|w| w == format), "{}", lines[3]);
    }
    assert_eq!(lines[4].trim(), "error info warning");
    for shell in ["bash", "zsh", "fish", "powershell"] {
        assert!(lines[5].split(' ').any(|w| w == shell), "{}", lines[5]);
    }
    assert!(lines[6].split(' ').any(|w| w == "test"), "{}", lines[6]);
}

#[test]
fn fish_completes_commands_options_and_values() {
    let dir = tempfile::tempdir().unwrap();
    let file = saved(dir.path(), "schemadrift.fish", &script("fish"));
    let out = Command::new(tool("fish"))
        .args(["--no-config", "-c"])
        .arg(format!(
            "source '{file}'
complete -C 'schemadrift di'; echo ==
complete -C 'schemadrift diff --format '; echo ==
complete -C 'schemadrift check --met'"
        ))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && stderr.is_empty(), "fish: {stderr}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let parts: Vec<&str> = stdout.split("==\n").collect();
    assert!(
        parts[0].starts_with("diff\tCompare two sources"),
        "{stdout}"
    );
    // Each candidate, then a tab and its description when it has one.
    let formats: Vec<&str> = parts[1]
        .lines()
        .map(|l| l.split('\t').next().unwrap())
        .collect();
    assert!(
        formats.contains(&"sarif") && formats.contains(&"json"),
        "{stdout}"
    );
    assert!(parts[2].starts_with("--metrics\t"), "{stdout}");
}

#[test]
fn zsh_loads_the_script_as_a_completion_function() {
    let dir = tempfile::tempdir().unwrap();
    saved(dir.path(), "_schemadrift", &script("zsh"));
    // As a user installs it: a file `_schemadrift` on $fpath, found by compinit.
    let out = Command::new(tool("zsh"))
        .args(["-f", "-c"])
        .arg(format!(
            "fpath=('{}' $fpath)
autoload -U compinit && compinit -u -D
print -r -- ${{_comps[schemadrift]}}
autoload -U +X _schemadrift && whence -w _schemadrift",
            dir.path().display()
        ))
        .env("HOME", dir.path())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && stderr.is_empty(), "zsh: {stderr}");
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "_schemadrift\n_schemadrift: function\n"
    );
    // And the script parses on its own.
    let n = Command::new(tool("zsh"))
        .args(["-n", &dir.path().join("_schemadrift").to_string_lossy()])
        .output()
        .unwrap();
    assert!(n.status.success(), "{}", String::from_utf8_lossy(&n.stderr));
}

#[test]
fn every_shell_gets_a_script_naming_every_command() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let s = script(shell);
        for command in [
            "snapshot", "diff", "check", "expected", "adopt", "alert", "man",
        ] {
            assert!(s.contains(command), "{shell} script lacks {command}");
        }
    }
    let (code, _, err) = run(&["completions", "tcsh"]);
    assert_eq!(code, 2);
    assert!(err.contains("invalid value 'tcsh'"), "{err}");
}

/// groff with every warning on (`-ww`) and nothing written (`-z`): a page
/// with a roff mistake (an unknown macro, a bad escape) warns here.
#[test]
fn the_man_page_renders_without_warnings() {
    let (code, page, err) = run(&["man"]);
    assert_eq!(code, 0, "{err}");
    let mut groff = Command::new(tool("groff"))
        .args(["-man", "-Tutf8", "-ww", "-z"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    groff
        .stdin
        .take()
        .unwrap()
        .write_all(page.as_bytes())
        .unwrap();
    let out = groff.wait_with_output().unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stderr), "", "groff warned");
}

#[test]
fn man_shows_every_section_command_and_option() {
    let dir = tempfile::tempdir().unwrap();
    let (_, page, _) = run(&["man"]);
    let file = saved(dir.path(), "schemadrift.1", &page);
    let out = Command::new(tool("man"))
        .args(["-l", &file])
        .env("MANWIDTH", "80")
        .env("MANPAGER", "cat")
        .env("MAN_KEEP_FORMATTING", "")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    // man may overstrike bold text when it thinks it is on a terminal.
    let text: String = strip_overstrike(&text);
    assert!(text.starts_with("SCHEMADRIFT(1)"), "{text}");
    for heading in [
        "NAME",
        "SYNOPSIS",
        "DESCRIPTION",
        "COMMANDS",
        "EXIT STATUS",
        "ENVIRONMENT",
        "FILES",
    ] {
        assert!(
            text.lines().any(|l| l == heading),
            "no {heading} section:\n{text}"
        );
    }
    for line in [
        "       schemadrift diff [OPTIONS] <EXPECTED> <ACTUAL>",
        "   schemadrift check",
        "       --fail-on LEVEL",
        "       --metrics FILE",
        "       SCHEMADRIFT_SHADOW_URL",
    ] {
        assert!(text.lines().any(|l| l == line), "no `{line}`:\n{text}");
    }
}

fn strip_overstrike(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c == '\u{8}' {
            out.pop();
        } else {
            out.push(c);
        }
    }
    out
}
