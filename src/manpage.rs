//! The manual page, schemadrift(1), rendered from the clap definitions: every
//! command and option the binary has is on the page, with the help text
//! `--help` shows, so the two cannot drift apart.
//!
//! One page for the whole tool (each command a subsection), since
//! `man schemadrift` is where a user looks first; the sections a man page
//! has and `--help` lacks (exit status, environment, files) are written here.

use clap::{Arg, ArgAction, Command, CommandFactory};
use roff::{bold, italic, roman, Inline, Roff};

use crate::cli::Cli;

/// schemadrift(1) as roff source.
pub fn render() -> String {
    let mut root = Cli::command();
    root.build();
    let mut page = Roff::new();
    let version = format!("schemadrift {}", root.get_version().unwrap_or_default());
    // An empty date (`""`): the page must not change from one build to the next.
    page.control(
        "TH",
        ["SCHEMADRIFT", "1", "\"\"", &version, "User Commands"],
    );
    // Left-aligned and unhyphenated: the page is full of paths and flags.
    page.control("ad", ["l"]);
    page.control("nh", []);

    page.control("SH", ["NAME"]);
    page.text([roman(format!(
        "schemadrift - {}",
        lowercase_first(plain(root.get_about()).trim_end_matches('.'))
    ))]);

    let commands = leaves(&root);
    page.control("SH", ["SYNOPSIS"]);
    for (i, cmd) in commands.iter().enumerate() {
        if i > 0 {
            page.control("br", []);
        }
        page.text(usage(cmd));
    }

    page.control("SH", ["DESCRIPTION"]);
    prose(&mut page, DESCRIPTION, "PP");
    if let Some(after) = root.get_after_long_help().or(root.get_after_help()) {
        page.control("PP", []);
        prose(&mut page, &after.to_string(), "PP");
    }

    page.control("SH", ["COMMANDS"]);
    for cmd in &commands {
        command_section(&mut page, cmd);
    }

    page.control("SH", ["OPTIONS"]);
    page.text([roman("Every command takes:")]);
    for arg in root.get_arguments().filter(|a| !a.is_hide_set()) {
        option(&mut page, arg);
    }

    page.control("SH", ["EXIT STATUS"]);
    for (code, meaning) in EXIT_STATUS {
        page.control("TP", []);
        page.text([bold(*code)]);
        page.text([roman(*meaning)]);
    }

    page.control("SH", ["ENVIRONMENT"]);
    let mut env: Vec<(String, String)> = Vec::new();
    for cmd in &commands {
        for arg in cmd.get_arguments().filter(|a| !a.is_hide_env_set()) {
            if let Some(var) = arg.get_env() {
                let var = var.to_string_lossy().into_owned();
                if !env.iter().any(|(v, _)| *v == var) {
                    let long = arg.get_long().unwrap_or_default();
                    env.push((var, format!("The default of --{long}.")));
                }
            }
        }
    }
    env.extend(
        ENVIRONMENT
            .iter()
            .map(|(v, m)| (v.to_string(), m.to_string())),
    );
    env.sort();
    for (var, meaning) in &env {
        page.control("TP", []);
        page.text([bold(var.as_str())]);
        page.text([roman(meaning.as_str())]);
    }

    page.control("SH", ["FILES"]);
    for (file, meaning) in FILES {
        page.control("TP", []);
        page.text([italic(*file)]);
        page.text([roman(*meaning)]);
    }

    page.control("SH", ["SEE ALSO"]);
    page.text([
        bold("pg_dump"),
        roman("(1), "),
        bold("psql"),
        roman("(1), "),
        bold("diff"),
        roman("(1)"),
    ]);
    page.render()
}

const DESCRIPTION: &str = "schemadrift finds schema drift: the difference between \
what a database's schema is and what its migrations say it should be. It reads \
PostgreSQL's catalogs (and Neo4j's constraints and indexes) into one canonical model, \
builds the expected schema by replaying the migrations into a throwaway shadow \
database, and reports the changes between the two as text, JSON, Markdown, JUnit XML \
or SARIF, or writes the SQL or Cypher script that would undo them, or (adopt) writes \
them as the next migration of the folder, in the folder's own format.

It never writes to a database it reads. A cron host needs only the binary, the \
configuration file and the committed expected/ files.";

const EXIT_STATUS: &[(&str, &str)] = &[
    (
        "0",
        "No drift: no changes (after ignore rules) at or above the --fail-on level.",
    ),
    (
        "1",
        "Drift found (diff, check), or the expected files no longer match the migrations \
         (expected --check).",
    ),
    (
        "2",
        "Error: bad input, an unreachable or refusing database, a migration that fails, \
         a target that could not be checked, an alert not delivered. The message is one \
         sentence naming the file, line, object or host at fault.",
    ),
];

const ENVIRONMENT: &[(&str, &str)] = &[
    ("DATABASE_URL", "The SOURCE of snapshot when none is given."),
    (
        "NO_COLOR",
        "When set and not empty, --color auto never colors.",
    ),
    (
        "CI",
        "When set, no progress bar and no check summary table are shown, even on a terminal.",
    ),
    (
        "SCHEMADRIFT_PG_BIN",
        "The directory of the PostgreSQL binaries (initdb, postgres) the embedded shadow \
         database is started from; otherwise pg_config --bindir, PATH and \
         /usr/lib/postgresql/*/bin are searched.",
    ),
    (
        "NEO4J_USER, NEO4J_PASSWORD",
        "The Neo4j user and password when the URL carries none.",
    ),
];

const FILES: &[(&str, &str)] = &[
    (
        "schemadrift.toml",
        "The configuration: targets, migrations folders, expected files, ignore rules, \
         alert channels. ${VAR} is read from the environment.",
    ),
    (
        "expected/postgres.json, expected/neo4j.json",
        "The expected schemas that schemadrift expected writes and check reads.",
    ),
    (
        ".schemadrift-state.json",
        "What each alert channel was last sent, so that a drift is alerted once.",
    ),
];

/// The commands a user runs, depth first: `alert test`, not `alert`; `help`
/// once, not once per command it explains.
fn leaves(cmd: &Command) -> Vec<&Command> {
    let mut out = Vec::new();
    for sub in cmd.get_subcommands().filter(|c| !c.is_hide_set()) {
        if sub.has_subcommands() && sub.get_name() != "help" {
            // `alert help` says no more than `help alert`.
            out.extend(leaves(sub).into_iter().filter(|c| c.get_name() != "help"));
        } else {
            out.push(sub);
        }
    }
    out
}

/// `schemadrift diff [OPTIONS] <EXPECTED> <ACTUAL>`, the command in bold.
fn usage(cmd: &Command) -> Vec<Inline> {
    let name = cmd.get_bin_name().unwrap_or(cmd.get_name()).to_string();
    let full = cmd.clone().render_usage().to_string();
    let full = full.trim_start_matches("Usage:").trim();
    let rest = full.strip_prefix(name.as_str()).unwrap_or(full);
    vec![bold(name), roman(rest.to_string())]
}

fn command_section(page: &mut Roff, cmd: &Command) {
    let name = cmd.get_bin_name().unwrap_or(cmd.get_name());
    page.control("SS", [name]);
    page.text(usage(cmd));
    page.control("PP", []);
    let about = cmd.get_long_about().or(cmd.get_about());
    prose(page, &sentence(&plain(about)), "PP");
    let positionals: Vec<&Arg> = cmd.get_positionals().filter(|a| !a.is_hide_set()).collect();
    let options: Vec<&Arg> = cmd
        .get_arguments()
        .filter(|a| !a.is_positional() && !a.is_hide_set() && !is_global(a))
        .collect();
    for arg in positionals.iter().chain(&options) {
        option(page, arg);
    }
    if let Some(after) = cmd.get_after_long_help().or(cmd.get_after_help()) {
        page.control("PP", []);
        prose(page, &after.to_string(), "PP");
    }
}

/// `--help` and `--version` are listed once, under OPTIONS.
fn is_global(arg: &Arg) -> bool {
    matches!(
        arg.get_action(),
        ArgAction::Help | ArgAction::HelpLong | ArgAction::Version
    )
}

/// One option as a tagged paragraph: its flags and value, its help, its
/// default, possible values and environment variable.
fn option(page: &mut Roff, arg: &Arg) {
    let mut tag = Vec::new();
    let values: Vec<String> = arg
        .get_value_names()
        .map(|v| v.iter().map(|s| s.to_string()).collect())
        .unwrap_or_else(|| vec![arg.get_id().as_str().to_uppercase()]);
    if arg.is_positional() {
        tag.push(italic(values.join(" ")));
    } else {
        if let Some(s) = arg.get_short() {
            tag.push(bold(format!("-{s}")));
        }
        if let Some(l) = arg.get_long() {
            if !tag.is_empty() {
                tag.push(roman(", "));
            }
            tag.push(bold(format!("--{l}")));
        }
        if arg.get_action().takes_values() {
            tag.push(roman(" "));
            tag.push(italic(values.join(" ")));
        }
    }
    page.control("TP", []);
    page.text(tag);
    let help = arg.get_long_help().or(arg.get_help());
    prose(page, &sentence(&plain(help)), "IP");
    let mut notes = Vec::new();
    if arg.get_action().takes_values() && !arg.is_hide_default_value_set() {
        let defaults: Vec<String> = arg
            .get_default_values()
            .iter()
            .map(|v| v.to_string_lossy().into_owned())
            .collect();
        if !defaults.is_empty() {
            notes.push(format!("Default: {}.", defaults.join(", ")));
        }
    }
    if let Some(var) = arg.get_env().filter(|_| !arg.is_hide_env_set()) {
        notes.push(format!("Environment: {}.", var.to_string_lossy()));
    }
    let possible: Vec<_> = if arg.is_hide_possible_values_set() || !arg.get_action().takes_values()
    {
        Vec::new()
    } else {
        arg.get_possible_values()
            .into_iter()
            .filter(|v| !v.is_hide_set())
            .collect()
    };
    let described = possible.iter().any(|v| v.get_help().is_some());
    if !possible.is_empty() && !described {
        let names: Vec<&str> = possible.iter().map(|v| v.get_name()).collect();
        notes.push(format!("Values: {}.", names.join(", ")));
    }
    if !notes.is_empty() {
        page.control("IP", []);
        page.text([roman(notes.join(" "))]);
    }
    if described {
        page.control("IP", []);
        page.text([roman("Values:")]);
        page.control("RS", []);
        for v in &possible {
            page.control("TP", []);
            page.text([bold(v.get_name())]);
            page.text([roman(sentence(&plain(v.get_help())))]);
        }
        page.control("RE", []);
    }
}

/// Help text as roff paragraphs: blank lines separate paragraphs; a
/// paragraph whose lines after the first are indented (a list of examples,
/// of install lines) keeps its lines as they are.
fn prose(page: &mut Roff, text: &str, paragraph: &str) {
    for (i, para) in text.trim().split("\n\n").enumerate() {
        if i > 0 {
            page.control(paragraph, []);
        }
        let lines: Vec<&str> = para.lines().collect();
        let Some((first, rest)) = lines.split_first() else {
            continue;
        };
        if !rest.is_empty() && rest.iter().all(|l| l.starts_with(' ')) {
            page.text([roman(first.trim())]);
            let indent = rest
                .iter()
                .map(|l| l.len() - l.trim_start().len())
                .min()
                .unwrap_or(0);
            page.control("RS", ["4"]);
            page.control("nf", []);
            for l in rest {
                page.text([roman(&l[indent..])]);
            }
            page.control("fi", []);
            page.control("RE", []);
        } else {
            page.text([roman(lines.join(" "))]);
        }
    }
}

/// clap takes the period off a one-line doc comment; prose wants it back.
fn sentence(s: &str) -> String {
    let s = s.trim_end();
    match s.chars().last() {
        Some(c) if c.is_alphanumeric() || matches!(c, ')' | '`' | '\'' | '"') => format!("{s}."),
        _ => s.to_string(),
    }
}

fn plain(s: Option<&clap::builder::StyledStr>) -> String {
    s.map(|s| s.to_string()).unwrap_or_default()
}

fn lowercase_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every option of every command is on the page: the page is made from
    /// the definitions, and this holds it to that.
    #[test]
    fn every_command_and_option_is_on_the_page() {
        let page = render();
        let mut root = Cli::command();
        root.build();
        for cmd in leaves(&root) {
            let name = cmd.get_bin_name().unwrap();
            assert!(
                page.contains(&format!(".SS \"{name}\"\n")),
                "{name} has no section"
            );
            for arg in cmd.get_arguments().filter(|a| !a.is_hide_set()) {
                if let Some(l) = arg.get_long() {
                    assert!(
                        page.contains(&format!("\\fB\\-\\-{}\\fR", l.replace('-', "\\-"))),
                        "{name} --{l} is not on the page"
                    );
                }
            }
        }
    }

    #[test]
    fn the_page_is_the_same_every_time() {
        assert_eq!(render(), render());
        assert!(render().starts_with(
            ".ie \\n(.g .ds Aq \\(aq\n.el .ds Aq '\n.TH SCHEMADRIFT 1 \"\" \"schemadrift "
        ));
    }
}
