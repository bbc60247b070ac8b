//! Hostile input (issue 12): output paths that are devices, pipes, links,
//! read-only or very long files; a file size limit; failing stdout; control
//! characters in keys; image references and sources that are not regular
//! files; duplicated keys; paths that look like options; decode budgets.
//! Device nodes are made with `mknod` in a scratch folder (the tests run as
//! root, as CI does), never on the machine's own `/dev`.

mod common;

use std::io::Read;
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

const JOB: &str =
    r#"{"room_id": "r", "encode_template": "64x48_15_500", "layout_template": "nine_grids_view"}"#;

/// A scratch folder with `job.json`.
fn folder(name: &str, job: &str) -> PathBuf {
    let dir = common::scratch(name);
    std::fs::write(dir.join("job.json"), job).unwrap();
    dir
}

fn text(path: &Path) -> String {
    path.to_string_lossy().into_owned()
}

/// Runs the CLI in `dir`: (status, stdout, stderr).
fn run(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let out = common::run_in(dir, args);
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Runs the CLI in `dir` with `args`: exit 2 and one line on stderr with
/// each of `needles`.
fn fails(dir: &Path, args: &[&str], needles: &[&str]) -> String {
    failed(&common::run_in(dir, args), needles)
}

/// A run that ended with exit 2 and one line on stderr with each of
/// `needles`; the line.
fn failed(out: &Output, needles: &[&str]) -> String {
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr:?}");
    for needle in needles {
        assert!(stderr.contains(needle), "{stderr:?} lacks {needle:?}");
    }
    stderr
}

/// The names in `dir` other than `keep`.
fn others(dir: &Path, keep: &[&str]) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !keep.contains(&n.as_str()))
        .collect()
}

fn mknod(path: &Path, minor: &str) {
    let ok = Command::new("mknod")
        .args([&text(path), "c", "1", minor])
        .status()
        .unwrap()
        .success();
    assert!(ok, "mknod (the tests run as root)");
}

#[test]
fn devices_are_written_in_place_never_replaced() {
    let dir = folder("hostile-devices", JOB);
    let null = dir.join("null");
    let full = dir.join("full");
    mknod(&null, "3");
    mknod(&full, "7");
    let (code, _, stderr) = run(
        &dir,
        &["preview", "--job", "job.json", "--users", "1", "-o", "null"],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(
        std::fs::symlink_metadata(&null)
            .unwrap()
            .file_type()
            .is_char_device()
    );
    // A full device: the write fails, with one line naming it.
    fails(
        &dir,
        &["preview", "--job", "job.json", "--users", "1", "-o", "full"],
        &["full", "No space left on device"],
    );
    assert!(
        std::fs::symlink_metadata(&full)
            .unwrap()
            .file_type()
            .is_char_device()
    );
    assert!(others(&dir, &["job.json", "null", "full"]).is_empty());
}

#[test]
fn a_named_pipe_gets_the_picture() {
    let dir = folder("hostile-fifo", JOB);
    let fifo = dir.join("pipe.png");
    assert!(
        Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .unwrap()
            .success()
    );
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            std::fs::File::open(fifo)
                .unwrap()
                .read_to_end(&mut bytes)
                .unwrap();
            bytes
        })
    };
    let (code, _, stderr) = run(
        &dir,
        &[
            "preview", "--job", "job.json", "--users", "1", "-o", "pipe.png",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let bytes = reader.join().unwrap();
    assert!(bytes.starts_with(b"\x89PNG"), "{} bytes", bytes.len());
    assert!(
        std::fs::symlink_metadata(&fifo)
            .unwrap()
            .file_type()
            .is_fifo()
    );
}

#[test]
fn links_are_followed_and_stay() {
    let dir = folder("hostile-link", JOB);
    std::fs::create_dir(dir.join("real")).unwrap();
    std::fs::write(dir.join("real/out.png"), b"old").unwrap();
    std::os::unix::fs::symlink("real/out.png", dir.join("link.png")).unwrap();
    let (code, _, stderr) = run(
        &dir,
        &[
            "preview", "--job", "job.json", "--users", "1", "-o", "link.png",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(
        std::fs::symlink_metadata(dir.join("link.png"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let written = std::fs::read(dir.join("real/out.png")).unwrap();
    assert!(written.starts_with(b"\x89PNG"));
    assert!(
        others(&dir.join("real"), &["out.png"]).is_empty(),
        "no temporary file left"
    );
}

#[test]
fn a_file_that_may_not_be_written_is_left_alone() {
    // As an unprivileged user (root may write anything): a folder that
    // user owns, holding a file that user may not write.
    let dir = common::scratch("hostile-readonly");
    std::fs::write(dir.join("job.json"), JOB).unwrap();
    std::fs::write(dir.join("ro.png"), b"keep me").unwrap();
    std::fs::set_permissions(dir.join("ro.png"), std::fs::Permissions::from_mode(0o444)).unwrap();
    let owned = Command::new("chown")
        .args(["nobody", &text(&dir), &text(&dir.join("job.json"))])
        .status()
        .unwrap()
        .success();
    assert!(owned);
    let out = Command::new("runuser")
        .args(["-u", "nobody", "--"])
        .arg(common::cli().get_program())
        .args([
            "preview", "--job", "job.json", "--users", "1", "-o", "ro.png",
        ])
        .current_dir(&dir)
        .output()
        .unwrap();
    failed(&out, &["ro.png", "Permission denied"]);
    assert_eq!(std::fs::read(dir.join("ro.png")).unwrap(), b"keep me");
    let mode = std::fs::metadata(dir.join("ro.png"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o444);
    assert!(others(&dir, &["job.json", "ro.png"]).is_empty());
}

#[test]
fn long_names_and_size_limits() {
    let dir = folder("hostile-long", JOB);
    // A 250-byte name: the temporary name must not be longer.
    let long = format!("{}.png", "x".repeat(246));
    let (code, _, stderr) = run(
        &dir,
        &["preview", "--job", "job.json", "--users", "1", "-o", &long],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(dir.join(&long).is_file());
    // A file size limit of 1 KiB: the write fails with an error, and no
    // temporary file is left behind.
    let job = r#"{"room_id": "r", "encode_template": "640x480_15_500", "layout_template": "nine_grids_view"}"#;
    std::fs::write(dir.join("big.json"), job).unwrap();
    let out = Command::new("sh")
        .arg("-c")
        .arg(r#"ulimit -f 1; exec "$0" preview --job big.json --users 9 -o big.png"#)
        .arg(common::cli().get_program())
        .current_dir(&dir)
        .output()
        .unwrap();
    failed(&out, &["big.png", "too large"]);
    assert!(others(&dir, &["job.json", "big.json", &long]).is_empty());
}

#[test]
fn stdout_failures_name_stdout() {
    let dir = folder("hostile-stdout", JOB);
    let full = dir.join("full");
    mknod(&full, "7");
    let out = common::cli()
        .args(["layout", "--job", "job.json", "--users", "9"])
        .current_dir(&dir)
        .stdout(std::fs::OpenOptions::new().write(true).open(&full).unwrap())
        .output()
        .unwrap();
    let stderr = failed(&out, &[]);
    assert_eq!(
        stderr.trim(),
        "mixlayout: stdout: No space left on device (os error 28)"
    );
    // A reader that goes away: a broken pipe, named the same way.
    let mut child = common::cli()
        .args(["timeline", "--job", "job.json", "--users", "25"])
        .current_dir(&dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = failed(&out, &[]);
    assert!(
        stderr.starts_with("mixlayout: stdout: Broken pipe"),
        "{stderr}"
    );
}

#[test]
fn control_characters_never_reach_the_terminal() {
    let dir = folder(
        "hostile-escape",
        r#"{"room_id": "r", "encode_template": "64x48_15_500", "layout_template": "nine_grids_view", "bad\nkey\u001b[2J": 1}"#,
    );
    let stderr = fails(
        &dir,
        &["layout", "--job", "job.json"],
        &[r"bad\nkey\u{1b}[2J: unknown field"],
    );
    assert!(!stderr.contains('\u{1b}'));
    std::fs::write(dir.join("job.json"), JOB).unwrap();
    std::fs::write(
        dir.join("events.json"),
        "[{\"type\": \"join\", \"user_id\": \"a\\u0007\"}]",
    )
    .unwrap();
    fails(
        &dir,
        &["layout", "--job", "job.json", "--events", "events.json"],
        &["event 0: user_id: contains a control character"],
    );
}

#[test]
fn duplicated_keys_are_errors() {
    let dir = folder(
        "hostile-duplicates",
        r#"{"room_id": "r", "encode_template": "64x48_15_500", "layout_template": "custom", "layout_template": "nine_grids_view"}"#,
    );
    fails(
        &dir,
        &["layout", "--job", "job.json"],
        &["mix_param.layout_template: is given twice"],
    );
    std::fs::write(dir.join("job.json"), JOB).unwrap();
    std::fs::write(
        dir.join("events.json"),
        r#"[{"type": "join", "type": "leave", "user_id": "a"}]"#,
    )
    .unwrap();
    fails(
        &dir,
        &["layout", "--job", "job.json", "--events", "events.json"],
        &["event 0: type: is given twice"],
    );
    std::fs::write(
        dir.join("job.json"),
        r#"{"mix_param": {"room_id": "r", "encode_template": "audio_only"}, "record_param": {}, "record_param": {}}"#,
    )
    .unwrap();
    fails(
        &dir,
        &["layout", "--job", "job.json"],
        &["record_param: is given twice"],
    );
}

/// A job with a background image, and the folder it is in.
fn background(name: &str) -> PathBuf {
    folder(
        name,
        r#"{"room_id": "r", "encode_template": "64x48_15_500", "layout_template": "nine_grids_view", "background_image": "bg.png"}"#,
    )
}

#[test]
fn image_references_that_are_not_files() {
    let dir = background("hostile-refs-dir");
    std::fs::create_dir(dir.join("bg.png")).unwrap();
    fails(
        &dir,
        &["preview", "--job", "job.json", "-o", "out.png"],
        &[
            "mix_param.background_image",
            "bg.png",
            "is a folder, not a regular file",
        ],
    );
    let dir = background("hostile-refs-fifo");
    assert!(
        Command::new("mkfifo")
            .arg(dir.join("bg.png"))
            .status()
            .unwrap()
            .success()
    );
    let mut child = common::cli()
        .args(["preview", "--job", "job.json", "-o", "out.png"])
        .current_dir(&dir)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A pipe must not hang the preview.
    let mut waited = Duration::ZERO;
    while child.try_wait().unwrap().is_none() {
        assert!(
            waited < Duration::from_secs(20),
            "the preview hangs on a pipe"
        );
        std::thread::sleep(Duration::from_millis(50));
        waited += Duration::from_millis(50);
    }
    let out = child.wait_with_output().unwrap();
    failed(&out, &["is a named pipe, not a regular file"]);
    let dir = background("hostile-refs-loop");
    std::os::unix::fs::symlink("bg.png", dir.join("bg.png")).unwrap();
    fails(
        &dir,
        &["preview", "--job", "job.json", "-o", "out.png"],
        &["mix_param.background_image", "symbolic links"],
    );
    let dir = background("hostile-refs-missing");
    fails(
        &dir,
        &["preview", "--job", "job.json", "-o", "out.png"],
        &["mix_param.background_image", "does not exist"],
    );
}

#[test]
fn source_files_that_are_not_pictures() {
    let dir = folder("hostile-sources", JOB);
    let preview = [
        "preview",
        "--job",
        "job.json",
        "--users",
        "1",
        "--sources",
        "src",
        "-o",
        "out.png",
    ];
    std::fs::create_dir_all(dir.join("src/u1.png")).unwrap();
    fails(
        &dir,
        &preview,
        &["u1.png", "is a folder, not a regular file"],
    );
    std::fs::remove_dir(dir.join("src/u1.png")).unwrap();
    std::os::unix::fs::symlink("u1.png", dir.join("src/u1.png")).unwrap();
    fails(&dir, &preview, &["u1.png", "symbolic links"]);
    // A named pipe is refused before it is opened, so nothing waits for a
    // writer that never comes.
    std::fs::remove_file(dir.join("src/u1.png")).unwrap();
    let made = Command::new("mkfifo")
        .arg(dir.join("src/u1.png"))
        .status()
        .unwrap();
    assert!(made.success());
    fails(
        &dir,
        &preview,
        &["u1.png", "is a named pipe, not a regular file"],
    );
    assert!(others(&dir, &["job.json", "src"]).is_empty());
}

#[test]
fn paths_are_never_options_or_protocols() {
    let dir = folder("hostile-injection", JOB);
    let (code, stdout, stderr) = run(
        &dir,
        &["ffmpeg", "--job", "job.json", "--users", "1", "-o=-y.png"],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.trim_end().ends_with(" file:./-y.png"), "{stdout}");
    let (code, stdout, _) = run(
        &dir,
        &["gst", "--job", "job.json", "--users", "1", "-o=-y.png"],
    );
    assert_eq!(code, 0);
    assert!(stdout.contains(r#"location="./-y.png""#), "{stdout}");
    // Run, a relative path with a colon is a file, not a protocol.
    if Command::new("ffmpeg").arg("-version").output().is_ok() {
        let (code, _, stderr) = run(
            &dir,
            &[
                "ffmpeg", "--job", "job.json", "--users", "1", "--run", "-o", "a:b.png",
            ],
        );
        assert_eq!(code, 0, "{stderr}");
        assert!(image::open(dir.join("a:b.png")).is_ok());
    }
}

#[test]
fn runs_refuse_pictures_beyond_their_budget() {
    // Three 8192 x 8192 pictures take 768 MiB as RGBA: more than 512.
    let dir = folder(
        "hostile-budget",
        r#"{"room_id": "r", "encode_template": "64x48_15_500", "layout_template": "nine_grids_view"}"#,
    );
    std::fs::create_dir(dir.join("src")).unwrap();
    let big = image::GrayImage::new(8192, 8192);
    for i in 1..=3 {
        big.save(dir.join(format!("src/u{i}.png"))).unwrap();
    }
    for program in ["ffmpeg", "gst"] {
        fails(
            &dir,
            &[
                program,
                "--job",
                "job.json",
                "--users",
                "3",
                "--sources",
                "src",
                "--run",
                "-o",
                "out.png",
            ],
            &["768 MiB decoded", "512 MiB budget"],
        );
    }
    // Printing the command reads no picture: it is fine.
    let (code, _, stderr) = run(
        &dir,
        &[
            "ffmpeg",
            "--job",
            "job.json",
            "--users",
            "3",
            "--sources",
            "src",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
}
