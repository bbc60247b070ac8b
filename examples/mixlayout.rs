//! The `mixlayout` command line (SPEC §7).
//!
//! ```text
//! mixlayout layout  --job JOB.json [--events EVENTS.json] [--users N]
//! mixlayout preview --job JOB.json [--events EVENTS.json] [--users N]
//!                   [--sources DIR] [--images DIR] [--no-labels] -o OUT.png
//! mixlayout ffmpeg  --job JOB.json [...same...] [--run] [-o OUT.png]
//! mixlayout gst     --job JOB.json [...same...] [--run] [-o OUT.png]
//! ```
//!
//! Any error prints one line on stderr, naming the file and the field path or
//! event index, and exits with status 2.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Parser, Subcommand};
use mixlayout::{Event, Job, Layout, Room, parse_events};

#[derive(Parser)]
#[command(
    name = "mixlayout",
    version,
    about = "Layouts and previews of mixed-stream recording jobs"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print the layout JSON (SPEC §6).
    Layout(RoomArgs),
    /// Render the layout to a PNG (SPEC §7).
    #[cfg(feature = "render")]
    Preview(PreviewArgs),
    /// Print (or --run) the ffmpeg command that composes the layout.
    #[cfg(feature = "render")]
    Ffmpeg(ExportArgs),
    /// Print (or --run) the gst-launch-1.0 pipeline that composes the layout.
    #[cfg(feature = "render")]
    Gst(ExportArgs),
}

/// Where pictures come from.
#[cfg(feature = "render")]
#[derive(Args)]
struct PictureArgs {
    #[command(flatten)]
    room: RoomArgs,
    /// Pictures of users: <user_id>.png|.jpg (camera), <user_id>.screen.png|.jpg (screen).
    #[arg(long, value_name = "DIR")]
    sources: Option<PathBuf>,
    /// Stand-ins for remote image references (s3://, https://), by file name.
    #[arg(long, value_name = "DIR")]
    images: Option<PathBuf>,
}

/// `preview`'s options.
#[cfg(feature = "render")]
#[derive(Args)]
struct PreviewArgs {
    #[command(flatten)]
    pictures: PictureArgs,
    /// Draw no labels or initials.
    #[arg(long)]
    no_labels: bool,
    /// The PNG to write.
    #[arg(short = 'o', long = "output", value_name = "OUT.png")]
    output: PathBuf,
}

/// `ffmpeg`'s and `gst`'s options.
#[cfg(feature = "render")]
#[derive(Args)]
struct ExportArgs {
    #[command(flatten)]
    pictures: PictureArgs,
    /// Run the command and write one frame to the output.
    #[arg(long)]
    run: bool,
    /// The PNG the command writes.
    #[arg(
        short = 'o',
        long = "output",
        value_name = "OUT.png",
        default_value = "out.png"
    )]
    output: PathBuf,
}

/// What makes the room: the job, then `--users`, then the events.
#[derive(Args)]
struct RoomArgs {
    /// The job: a SparkRTC create-job body or a bare mix_param.
    #[arg(long, value_name = "JOB.json")]
    job: PathBuf,
    /// Events applied in order after --users.
    #[arg(long, value_name = "EVENTS.json")]
    events: Option<PathBuf>,
    /// Join u1..uN, camera on, before the events.
    #[arg(long, value_name = "N", default_value_t = 0,
          value_parser = clap::value_parser!(u32).range(0..=10_000))]
    users: u32,
}

/// An error line: what went wrong, and where.
struct Failure(String);

impl<E: std::fmt::Display> From<E> for Failure {
    fn from(e: E) -> Self {
        Failure(e.to_string())
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure(message)) => {
            eprintln!("mixlayout: {message}");
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Layout(args) => {
            let (_, room) = build_room(&args)?;
            let layout = room.layout();
            print_json(&layout)
        }
        #[cfg(feature = "render")]
        Command::Preview(args) => preview(&args),
        #[cfg(feature = "render")]
        Command::Ffmpeg(args) => export(&args, mixlayout::export::ffmpeg),
        #[cfg(feature = "render")]
        Command::Gst(args) => export(&args, mixlayout::export::gstreamer),
    }
}

/// The room's layout, refusing an audio-only job (nothing to draw).
#[cfg(feature = "render")]
fn drawable_layout(
    args: &PictureArgs,
) -> Result<(Arc<Job>, Layout, mixlayout::render::LoadOptions), Failure> {
    let (job, room) = build_room(&args.room)?;
    let layout = room.layout();
    mixlayout::render::canvas(&layout)
        .map_err(|e| Failure(format!("{}: {e}", args.room.job.display())))?;
    let load = mixlayout::render::LoadOptions {
        job_dir: args
            .room
            .job
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_default(),
        sources: args.sources.clone(),
        images: args.images.clone(),
    };
    Ok((job, layout, load))
}

#[cfg(feature = "render")]
fn preview(args: &PreviewArgs) -> Result<(), Failure> {
    use mixlayout::render::{Pictures, RenderOptions, render, write_png};

    let (job, layout, load) = drawable_layout(&args.pictures)?;
    let (pictures, warnings) = Pictures::load(&layout, &load)?;
    for warning in warnings {
        eprintln!("mixlayout: {warning}");
    }
    let options = RenderOptions {
        labels: !args.no_labels,
        threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
        ..RenderOptions::for_job(&job)
    };
    let image = render(&layout, &pictures, &options)?;
    write_png(&image, &args.output)?;
    Ok(())
}

/// Builds an export command; prints it, or runs it into a temporary file
/// beside the output and renames that into place.
#[cfg(feature = "render")]
fn export(args: &ExportArgs, build: mixlayout::export::Exporter) -> Result<(), Failure> {
    use mixlayout::render::{Inputs, RenderOptions};

    let (job, layout, load) = drawable_layout(&args.pictures)?;
    let inputs = Inputs::locate(&layout, &load)?;
    for warning in &inputs.unfetched {
        eprintln!("mixlayout: {warning}");
    }
    let options = RenderOptions::for_job(&job);
    if !args.run {
        let command = build(&layout, &inputs, &options, &args.output)?;
        println!("{}", command.shell_line());
        return Ok(());
    }
    let name = args
        .output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let temp = args
        .output
        .with_file_name(format!(".{name}.{}.tmp.png", std::process::id()));
    let command = build(&layout, &inputs, &options, &temp)?;
    let result = command.to_process().output();
    let outcome = match result {
        Err(e) => Err(Failure(format!("{}: {e}", command.program))),
        Ok(out) if !out.status.success() || !temp.is_file() => {
            let said = String::from_utf8_lossy(&out.stderr);
            let first = said
                .lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("no output");
            Err(Failure(format!(
                "{} failed ({}): {first}",
                command.program, out.status
            )))
        }
        Ok(_) => std::fs::rename(&temp, &args.output)
            .map_err(|e| Failure(format!("{}: {e}", args.output.display()))),
    };
    if outcome.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    outcome
}

/// Reads a file of at most `limit` bytes, naming it in any error.
fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, Failure> {
    let name = path.display();
    let file = std::fs::File::open(path).map_err(|e| Failure(format!("{name}: {e}")))?;
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Failure(format!("{name}: {e}")))?;
    if bytes.len() as u64 > limit {
        return Err(Failure(format!("{name}: larger than {limit} bytes")));
    }
    Ok(bytes)
}

fn build_room(args: &RoomArgs) -> Result<(Arc<Job>, Room), Failure> {
    let job_bytes = read_limited(&args.job, mixlayout::job::MAX_JOB_BYTES)?;
    let job =
        Job::from_json(&job_bytes).map_err(|e| Failure(format!("{}: {e}", args.job.display())))?;
    let job = Arc::new(job);
    let mut room = Room::new(job.clone());
    for n in 1..=args.users {
        let join = Event::join(format!("u{n}"), None);
        room.apply(&join)
            .map_err(|e| Failure(format!("--users: {e}")))?;
    }
    if let Some(path) = &args.events {
        let bytes = read_limited(path, mixlayout::event::MAX_EVENTS_BYTES)?;
        let events =
            parse_events(&bytes).map_err(|e| Failure(format!("{}: {e}", path.display())))?;
        room.apply_all(&events)
            .map_err(|e| Failure(format!("{}: {e}", path.display())))?;
    }
    Ok((job, room))
}

fn print_json(layout: &Layout) -> Result<(), Failure> {
    let mut out = std::io::stdout().lock();
    serde_json::to_writer_pretty(&mut out, layout)?;
    writeln!(out)
        .and_then(|()| out.flush())
        .map_err(|e| Failure(format!("stdout: {e}")))
}
