//! Tests of the sandbox: bubblewrap's arguments, and what the jail lets through.

use super::bwrap::{Machine, arguments};
use super::*;

fn machine() -> Machine {
    Machine {
        private_folders: vec![
            "/tmp".into(),
            "/".into(),
            "/usr".into(),
            "/nonexistent".into(),
        ],
        private_files: vec![],
        kept_links: vec![],
        cargo_home: None,
        toolchain: vec![],
    }
}

fn text(args: &[OsString]) -> String {
    args.iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn the_system_is_never_hidden_and_what_is_bound_back_comes_after_what_is_hidden() {
    let scratch = tempfile::tempdir().unwrap();
    let inner = scratch.path().join("grading/course");
    std::fs::create_dir_all(inner.join("target")).unwrap();
    let access = Access {
        writable: vec![inner.join("target"), inner.clone()],
        readable: vec![],
        hidden: vec![scratch.path().to_path_buf()],
    };
    let args = text(&arguments(&access, &machine()));
    assert!(
        args.starts_with("--ro-bind / / --dev /dev --proc /proc"),
        "{args}"
    );
    assert!(!args.contains("--tmpfs / "), "{args}");
    assert!(!args.contains("--tmpfs /usr"), "{args}");
    assert!(!args.contains("/nonexistent"), "{args}");
    let real = inner.canonicalize().unwrap();
    let course = format!("--bind {0} {0}", real.display());
    let target = format!("--bind {0}/target {0}/target", real.display());
    let tmp = args.find("--tmpfs /tmp").expect("/tmp is hidden");
    let course_at = args
        .find(&course)
        .expect("the grading folder is bound back");
    let target_at = args.find(&target).expect("the target dir is bound back");
    assert!(tmp < course_at && course_at < target_at, "{args}");
    // The scratch folder is in /tmp, hidden already.
    assert_eq!(args.matches("--tmpfs").count(), 1, "{args}");
    assert!(args.ends_with("--cap-drop ALL"), "{args}");
}

#[test]
fn a_signal_is_read_from_bwraps_exit_code() {
    assert_eq!(signal_of_exit_code(134), Some(6));
    assert_eq!(signal_of_exit_code(137), Some(9));
    assert_eq!(signal_of_exit_code(101), None);
    assert_eq!(signal_of_exit_code(0), None);
    assert_eq!(signal_of_exit_code(255), None);
}
