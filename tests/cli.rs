//! The CLI example (SPEC §7): exit status, one-line errors, example jobs.

mod common;

use std::path::Path;

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Runs the CLI and returns (status, stdout, stderr).
fn run(args: &[&str]) -> (i32, String, String) {
    let out = common::run_in(manifest(), args);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn assert_one_line_error(args: &[&str], needles: &[&str]) {
    let (code, stdout, stderr) = run(args);
    assert_eq!(code, 2, "{args:?}: {stderr}");
    assert!(stdout.is_empty(), "{args:?} printed {stdout}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    for needle in needles {
        assert!(stderr.contains(needle), "{stderr:?} lacks {needle:?}");
    }
}

#[test]
fn every_example_job_lays_out() {
    let dir = manifest().join("examples/jobs");
    let mut jobs = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.to_string_lossy().into_owned();
        if name.ends_with(".events.json") || !name.ends_with(".json") {
            continue;
        }
        jobs += 1;
        let events = name.replace(".json", ".events.json");
        let has_events = Path::new(&events).is_file();
        // The example events name u1..u4, so those runs start with them.
        let counts: &[&str] = if has_events {
            &["4", "9", "30"]
        } else {
            &["0", "9", "30"]
        };
        for &users in counts {
            let mut args = vec!["layout", "--job", &name, "--users", users];
            if has_events {
                args.extend(["--events", &events]);
            }
            let (code, stdout, stderr) = run(&args);
            assert_eq!(code, 0, "{name} with {users} users: {stderr}");
            let layout: serde_json::Value = serde_json::from_str(&stdout).unwrap();
            assert!(layout["tiles"].is_array());
        }
    }
    assert!(jobs >= 4, "one example job per template");
}

#[test]
fn bad_input_is_one_line_and_exit_2() {
    let dir = common::scratch("cli-bad-input");
    let write = |name: &str, text: &str| {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p.to_string_lossy().into_owned()
    };
    let good = write(
        "good.json",
        r#"{"room_id": "r", "encode_template": "640x480_15_500", "layout_template": "nine_grids_view"}"#,
    );
    let missing = dir.join("missing.json").to_string_lossy().into_owned();
    assert_one_line_error(&["layout", "--job", &missing], &["missing.json"]);
    let not_json = write("broken.json", "{\"room_id\": ");
    assert_one_line_error(&["layout", "--job", &not_json], &["broken.json"]);
    let bad_field = write(
        "bad-field.json",
        r#"{"mix_param": {"room_id": "r", "encode_template": "640x480_15_500", "layout_template": "custom",
            "layout_panes": [{"id": 1, "x": 1.4, "y": 0, "width": 0.5, "height": 0.5}]}}"#,
    );
    assert_one_line_error(
        &["layout", "--job", &bad_field],
        &[
            "bad-field.json",
            "mix_param.layout_panes[0].x: 1.4 is above 1",
        ],
    );
    let events = write(
        "events.json",
        r#"[{"type": "join", "user_id": "a"}, {"type": "leave", "user_id": "b"}]"#,
    );
    assert_one_line_error(
        &["layout", "--job", &good, "--events", &events],
        &["events.json", "event 1", "\"b\" is not in the room"],
    );
    let (code, _, _) = run(&["layout", "--job", &good, "--users", "10001"]);
    assert_eq!(code, 2, "--users beyond the room limit");
    let (code, stdout, _) = run(&["layout", "--job", &good, "--users", "3"]);
    assert_eq!(code, 0);
    assert!(stdout.contains("\"u3\""));
}
