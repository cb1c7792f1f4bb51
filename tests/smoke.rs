mod common;

#[test]
fn help_lists_snapshot_and_exit_codes() {
    let (code, out, _) = common::run(&["--help"]);
    assert_eq!(code, 0);
    assert!(out.contains("snapshot"), "{out}");
    assert!(out.contains("Exit codes"), "{out}");
}
