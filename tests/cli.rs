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

#[test]
fn preview_writes_a_whole_png_or_nothing() {
    let dir = common::scratch("cli-preview");
    let job = manifest().join("examples/jobs/seed-nine-grids.json");
    let job = job.to_string_lossy();
    let out = dir.join("grid.png");
    let out_s = out.to_string_lossy().into_owned();
    let (code, _, stderr) = run(&["preview", "--job", &job, "--users", "4", "-o", &out_s]);
    assert_eq!(code, 0, "{stderr}");
    let png = image::open(&out).unwrap();
    assert_eq!((png.width(), png.height()), (1920, 1080));
    assert_eq!(png.color(), image::ColorType::Rgb8);

    // A folder that does not exist: one line, exit 2, nothing left behind.
    let missing = dir
        .join("no/such/folder/x.png")
        .to_string_lossy()
        .into_owned();
    assert_one_line_error(
        &["preview", "--job", &job, "--users", "4", "-o", &missing],
        &["x.png"],
    );
    // An audio-only job has nothing to preview.
    let audio = dir.join("audio.json");
    std::fs::write(
        &audio,
        r#"{"room_id": "r", "encode_template": "audio_only"}"#,
    )
    .unwrap();
    let bad_out = dir.join("audio.png").to_string_lossy().into_owned();
    assert_one_line_error(
        &["preview", "--job", &audio.to_string_lossy(), "-o", &bad_out],
        &["audio.json", "audio_only has no picture to draw"],
    );
    // A source that does not decode is named.
    let sources = dir.join("sources");
    std::fs::create_dir_all(&sources).unwrap();
    std::fs::write(sources.join("u2.png"), b"not a picture").unwrap();
    let out2 = dir.join("broken.png").to_string_lossy().into_owned();
    assert_one_line_error(
        &[
            "preview",
            "--job",
            &job,
            "--users",
            "4",
            "--sources",
            &sources.to_string_lossy(),
            "-o",
            &out2,
        ],
        &["u2.png", "does not decode"],
    );
    let left: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "grid.png" && n != "audio.json" && n != "sources")
        .collect();
    assert!(left.is_empty(), "partial files left: {left:?}");
}

#[test]
fn export_commands_print_a_shell_line() {
    let job = manifest().join("examples/jobs/custom-presenter.json");
    let events = manifest().join("examples/jobs/custom-presenter.events.json");
    let (job, events) = (job.to_string_lossy(), events.to_string_lossy());
    let (code, stdout, stderr) = run(&[
        "ffmpeg",
        "--job",
        &job,
        "--events",
        &events,
        "--users",
        "3",
        "-o",
        "my out.png",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.starts_with("ffmpeg -v error -y -filter_complex '"),
        "{stdout}"
    );
    assert!(
        stdout.trim_end().ends_with("'file:./my out.png'"),
        "{stdout}"
    );
    let (code, stdout, _) = run(&["gst", "--job", &job, "--events", &events, "--users", "3"]);
    assert_eq!(code, 0);
    assert!(
        stdout.starts_with("gst-launch-1.0 -q compositor name=mix"),
        "{stdout}"
    );
    assert!(stdout.contains("pngenc"), "{stdout}");
}

/// The arguments of the README's set-up preview command, its output
/// replaced by `out`.
fn readme_setup_preview(out: &str) -> Vec<String> {
    let readme = std::fs::read_to_string(manifest().join("README.md")).unwrap();
    let setup = readme.split("## Set-up").nth(1).unwrap();
    let line = setup
        .lines()
        .find(|l| l.starts_with("cargo run --release --example mixlayout -- preview"))
        .expect("the set-up section renders a preview");
    let mut args: Vec<String> = line
        .split_whitespace()
        .skip_while(|a| *a != "--")
        .skip(1)
        .map(str::to_owned)
        .collect();
    let o = args.iter().position(|a| a == "-o").unwrap();
    args[o + 1] = out.to_owned();
    args
}

#[test]
fn the_readme_pictures_are_what_their_commands_draw() {
    let dir = common::scratch("cli-readme");
    let setup = dir.join("preview.png");
    let styled = dir.join("styled.png");
    let cases = [
        (
            readme_setup_preview(&setup.to_string_lossy()),
            &setup,
            "docs/meeting.png",
        ),
        (
            [
                "preview",
                "--job",
                "examples/jobs/styled-meeting.json",
                "--events",
                "examples/jobs/styled-meeting.events.json",
                "--users",
                "5",
                "--sources",
                "examples/sources",
                "-o",
                &styled.to_string_lossy(),
            ]
            .map(str::to_owned)
            .to_vec(),
            &styled,
            "docs/styled.png",
        ),
    ];
    for (args, out, shown) in cases {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (code, _, stderr) = run(&args);
        assert_eq!(code, 0, "{args:?}: {stderr}");
        let drawn = image::open(out).unwrap().to_rgb8();
        let pictured = image::open(manifest().join(shown)).unwrap().to_rgb8();
        assert!(drawn == pictured, "{shown} is not what {args:?} draws");
    }
}
