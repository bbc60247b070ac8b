//! The `mixlayout` command line: a thin wrapper around the library.
//!
//! ```text
//! mixlayout layout     --job JOB.json [--events EVENTS.json] [--users N] [--at MS] [--lenient]
//! mixlayout timeline   --job JOB.json [--events EVENTS.json] [--users N] [--until MS] [--changes]
//! mixlayout preview    --job JOB.json [...] [--at MS] [--sources DIR] [--images DIR] [--no-labels] -o OUT.png
//! mixlayout storyboard --job JOB.json [...] [--until MS] [--sources DIR] [--images DIR] -o BOARD.png
//! mixlayout ffmpeg     --job JOB.json [...] [--at MS] [--run] [-o OUT.png]
//! mixlayout gst        --job JOB.json [...] [--at MS] [--run] [-o OUT.png]
//! mixlayout record     --job JOB.json --events EVENTS.json --media MEDIA.json [--until MS] -o OUT.mp4
//! ```
//!
//! Any error prints one line on stderr, naming the file and the field path or
//! event index, and exits with status 2. Run with `--help` for more.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Parser, Subcommand};
use mixlayout::limits::{MAX_EVENTS_BYTES, MAX_INSTANT, MAX_JOB_BYTES};
use mixlayout::{Escaped, Event, EventError, Job, Layout, Room, Timeline, parse_events};

#[derive(Parser)]
#[command(
    name = "mixlayout",
    version,
    about = "Layouts, previews, timelines and recordings of mixed-stream recording jobs",
    long_about = "Layouts, previews, timelines and recordings of mixed-stream recording jobs \
(SparkRTC's create-job body). Run `cargo doc --open` for the rules each command follows. \
Errors print one line and exit with status 2."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Print the layout JSON at an instant.
    Layout(AtArgs),
    /// Print the layout's epochs over time as JSON.
    Timeline(TimelineArgs),
    /// Render the layout at an instant to a PNG (or JPEG: -o ending in .jpg).
    #[cfg(feature = "render")]
    Preview(PreviewArgs),
    /// Draw every epoch of the timeline, captioned, on one PNG.
    #[cfg(feature = "render")]
    Storyboard(StoryboardArgs),
    /// Print (or --run) the ffmpeg command that composes the layout, without
    /// labels. Needs ffmpeg installed to run.
    #[cfg(feature = "render")]
    Ffmpeg(ExportArgs),
    /// Print (or --run) the gst-launch-1.0 pipeline that composes the layout,
    /// without labels. Needs GStreamer's base and good plugins to run.
    #[cfg(feature = "render")]
    Gst(ExportArgs),
    /// Record the meeting from its participants' files into an MP4, with
    /// the layout of every frame. Needs ffmpeg and ffprobe installed.
    #[cfg(feature = "record")]
    Record(RecordArgs),
}

/// What makes the room: the job, then `--users`, then the events.
#[derive(Args)]
struct RoomArgs {
    /// The job: a SparkRTC create-job body or a bare mix_param.
    #[arg(long, value_name = "JOB.json")]
    job: PathBuf,
    /// Events applied in order after --users: a JSON list.
    #[arg(long, value_name = "EVENTS.json")]
    events: Option<PathBuf>,
    /// Join u1..uN, camera on, at 0, before the events.
    #[arg(long, value_name = "N", default_value_t = 0,
          value_parser = clap::value_parser!(u32).range(0..=10_000))]
    users: u32,
    /// Skip events that do not fit the room (one warning each) instead of
    /// failing; a malformed event is still an error.
    #[arg(long)]
    lenient: bool,
}

/// A room at an instant.
#[derive(Args)]
struct AtArgs {
    #[command(flatten)]
    room: RoomArgs,
    /// Show the room at this instant, in ms (default: the last event's).
    #[arg(long, value_name = "MS",
          value_parser = clap::value_parser!(u32).range(0..=i64::from(MAX_INSTANT)))]
    at: Option<u32>,
}

/// A timeline.
#[derive(Args)]
struct TimelineArgs {
    #[command(flatten)]
    room: RoomArgs,
    /// End the timeline here, in ms: instants at or after it start no epoch.
    #[arg(long, value_name = "MS",
          value_parser = clap::value_parser!(u32).range(1..=i64::from(MAX_INSTANT)))]
    until: Option<u32>,
    /// Give every epoch but the first the changes from the one before.
    #[arg(long)]
    changes: bool,
}

/// Where pictures come from.
#[cfg(feature = "render")]
#[derive(Args)]
struct PictureArgs {
    /// Pictures of users: <user_id>.png|.jpg (camera), <user_id>.screen.png|.jpg
    /// (screen). A user without a file is a flat colour of the id and stream.
    #[arg(long, value_name = "DIR")]
    sources: Option<PathBuf>,
    /// Stand-ins for remote image references (s3://, https://), by file name;
    /// remote references are never fetched.
    #[arg(long, value_name = "DIR")]
    images: Option<PathBuf>,
}

/// `preview`'s options.
#[cfg(feature = "render")]
#[derive(Args)]
struct PreviewArgs {
    #[command(flatten)]
    at: AtArgs,
    #[command(flatten)]
    pictures: PictureArgs,
    /// Draw no labels or initials.
    #[arg(long)]
    no_labels: bool,
    /// The picture to write: PNG, or JPEG when it ends in .jpg or .jpeg.
    #[arg(short = 'o', long = "output", value_name = "OUT.png")]
    output: PathBuf,
}

/// `storyboard`'s options.
#[cfg(feature = "render")]
#[derive(Args)]
struct StoryboardArgs {
    #[command(flatten)]
    timeline: TimelineArgs,
    #[command(flatten)]
    pictures: PictureArgs,
    /// Draw no labels or initials.
    #[arg(long)]
    no_labels: bool,
    /// The picture to write: PNG, or JPEG when it ends in .jpg or .jpeg.
    #[arg(short = 'o', long = "output", value_name = "BOARD.png")]
    output: PathBuf,
}

/// `ffmpeg`'s and `gst`'s options.
#[cfg(feature = "render")]
#[derive(Args)]
struct ExportArgs {
    #[command(flatten)]
    at: AtArgs,
    #[command(flatten)]
    pictures: PictureArgs,
    /// Run the command and write one frame to the output.
    #[arg(long)]
    run: bool,
    /// The picture the command writes (PNG, or JPEG by its name).
    #[arg(
        short = 'o',
        long = "output",
        value_name = "OUT.png",
        default_value = "out.png"
    )]
    output: PathBuf,
}

/// `record`'s options.
#[cfg(feature = "record")]
#[derive(Args)]
struct RecordArgs {
    #[command(flatten)]
    room: RoomArgs,
    /// The participants' files: {"sources": [{"user_id", "stream", "file",
    /// "start"}]}, each file relative to this list's folder, placed on the
    /// room's timeline at its start (ms).
    #[arg(long, value_name = "MEDIA.json")]
    media: PathBuf,
    /// End the recording here, in ms (default: where the meeting ends).
    #[arg(long, value_name = "MS",
          value_parser = clap::value_parser!(u32).range(1..=i64::from(mixlayout::limits::MAX_AT)))]
    until: Option<u32>,
    /// Draw no labels or initials.
    #[arg(long)]
    no_labels: bool,
    /// Stand-ins for remote image references (s3://, https://), by file name.
    #[arg(long, value_name = "DIR")]
    images: Option<PathBuf>,
    /// Print no progress.
    #[arg(long)]
    quiet: bool,
    /// The recording to write: an MP4, whatever its name.
    #[arg(short = 'o', long = "output", value_name = "OUT.mp4")]
    output: PathBuf,
}

/// An error line: what went wrong, and where.
struct Failure(String);

impl<E: std::fmt::Display> From<E> for Failure {
    fn from(e: E) -> Self {
        Failure(e.to_string())
    }
}

/// `path: error`, the path escaped.
fn at_file(path: &Path, error: impl std::fmt::Display) -> Failure {
    Failure(format!("{}: {error}", Escaped(&path.to_string_lossy())))
}

fn main() -> ExitCode {
    // A file size limit (`ulimit -f`) would kill the process with SIGXFSZ and
    // leave a temporary file behind; handled, the write fails with EFBIG,
    // which is reported and cleaned up like any other write error.
    let _ = signal_hook::flag::register(
        signal_hook::consts::SIGXFSZ,
        Arc::new(std::sync::atomic::AtomicBool::new(false)),
    );
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure(message)) => {
            // Whatever the message holds, it stays one line.
            eprintln!("mixlayout: {}", Escaped(&message));
            ExitCode::from(2)
        }
    }
}

fn run(cli: Cli) -> Result<(), Failure> {
    match cli.command {
        Command::Layout(args) => {
            let meeting = Meeting::load(&args.room)?;
            let layout = meeting.layout_at(args.at)?;
            write_stdout(|out| {
                serde_json::to_writer_pretty(&mut *out, &layout).map_err(std::io::Error::from)?;
                writeln!(out)
            })
        }
        Command::Timeline(args) => {
            let meeting = Meeting::load(&args.room)?;
            meeting.check()?;
            let mut timeline = meeting.timeline(args.until);
            write_stdout(|out| {
                out.write_all(b"{\"epochs\": [")?;
                let mut first = true;
                while let Some(epoch) = timeline.next_epoch().map_err(std::io::Error::other)? {
                    if !first {
                        out.write_all(b",")?;
                    }
                    first = false;
                    out.write_all(b"\n")?;
                    let json = mixlayout::EpochJson {
                        epoch,
                        changes: args.changes,
                    };
                    serde_json::to_writer(&mut *out, &json).map_err(std::io::Error::from)?;
                }
                out.write_all(b"\n]}\n")
            })
        }
        #[cfg(feature = "render")]
        Command::Preview(args) => pictures::preview(&args),
        #[cfg(feature = "render")]
        Command::Storyboard(args) => pictures::storyboard(&args),
        #[cfg(feature = "render")]
        Command::Ffmpeg(args) => pictures::export(&args, mixlayout::export::ffmpeg),
        #[cfg(feature = "render")]
        Command::Gst(args) => pictures::export(&args, mixlayout::export::gstreamer),
        #[cfg(feature = "record")]
        Command::Record(args) => recording::record(&args),
    }
}

/// The `record` command.
#[cfg(feature = "record")]
mod recording {
    use std::io::IsTerminal;
    use std::sync::atomic::AtomicBool;
    use std::time::{Duration, Instant};

    use super::*;
    use mixlayout::limits::MAX_MEDIA_BYTES;
    use mixlayout::picture::LoadOptions;
    use mixlayout::record::{Media, Progress, RecordOptions, Recording};

    pub(super) fn record(args: &RecordArgs) -> Result<(), Failure> {
        let meeting = Meeting::load(&args.room)?;
        let bytes = read_limited(&args.media, MAX_MEDIA_BYTES)?;
        let dir = args.media.parent().unwrap_or(Path::new(""));
        let media = Media::from_json(&bytes, dir).map_err(|e| at_file(&args.media, e))?;
        let options = RecordOptions {
            until: args.until,
            lenient: args.room.lenient,
            labels: !args.no_labels,
            ..RecordOptions::default()
        };
        let recording = Recording::prepare(meeting.room.clone(), &meeting.events, &media, options)
            .map_err(|e| match e {
                mixlayout::Error::Event(e) => meeting.event_failure(e),
                e => Failure(e.to_string()),
            })?;
        meeting.warn_skipped(recording.skipped());
        if !recording.ignored_users().is_empty() {
            let users: Vec<&str> = recording.ignored_users().iter().map(|u| &**u).collect();
            eprintln!(
                "mixlayout: warning: {}: files of users never present are left out: {}",
                Escaped(&args.media.to_string_lossy()),
                Escaped(&users.join(", "))
            );
        }
        let load = LoadOptions {
            job_dir: pictures::job_dir(&args.room.job),
            sources: None,
            images: args.images.clone(),
        };
        let (images, unfetched) = recording.load_images(&load)?;
        pictures::warn(&unfetched);
        // Ctrl-C and SIGTERM stop the recording, which kills its children
        // and removes the temporary file.
        let cancel = Arc::new(AtomicBool::new(false));
        for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
            let _ = signal_hook::flag::register(signal, cancel.clone());
        }
        let mut meter = Meter::new(args.quiet);
        let result = recording.run(&images, &args.output, &mut |p| meter.show(p), &cancel);
        meter.finish();
        Ok(result?)
    }

    /// The progress line: updated in place on a terminal, a plain line per
    /// tenth otherwise.
    struct Meter {
        quiet: bool,
        terminal: bool,
        shown: Option<Instant>,
        tenths: u64,
    }

    impl Meter {
        fn new(quiet: bool) -> Meter {
            Meter {
                quiet,
                terminal: std::io::stderr().is_terminal(),
                shown: None,
                tenths: 0,
            }
        }

        fn show(&mut self, p: &Progress) {
            if self.quiet {
                return;
            }
            let line = || {
                let speed = p.speed().map_or("-".into(), |s| format!("{s:.2}x"));
                let left = p.remaining().map_or("-".into(), clock);
                format!(
                    "record: {:5.1}%  {speed} real time  {left} left",
                    p.percent()
                )
            };
            if self.terminal {
                if self
                    .shown
                    .is_none_or(|t| t.elapsed() >= Duration::from_millis(200))
                {
                    eprint!("\r{}\x1b[K", line());
                    self.shown = Some(Instant::now());
                }
            } else {
                let tenths = p.done_ms * 10 / p.total_ms.max(1);
                if tenths > self.tenths || self.shown.is_none() {
                    eprintln!("{}", line());
                    self.tenths = tenths;
                    self.shown = Some(Instant::now());
                }
            }
        }

        fn finish(&self) {
            if self.terminal && self.shown.is_some() && !self.quiet {
                eprintln!();
            }
        }
    }

    /// `m:ss`, or `h:mm:ss` past an hour.
    fn clock(d: Duration) -> String {
        let s = d.as_secs();
        match s / 3600 {
            0 => format!("{}:{:02}", s / 60, s % 60),
            h => format!("{h}:{:02}:{:02}", s / 60 % 60, s % 60),
        }
    }
}

/// The commands that draw.
#[cfg(feature = "render")]
mod pictures {
    use super::*;
    use mixlayout::export::{Exporter, check_run_budget};
    use mixlayout::output::{Output, write_image};
    use mixlayout::picture::{Inputs, LoadOptions, Pictures, Unfetched};
    use mixlayout::render::{RenderOptions, render};

    /// Where pictures come from, for a job file.
    fn load_options(job: &Path, args: &PictureArgs) -> LoadOptions {
        LoadOptions {
            job_dir: job_dir(job),
            sources: args.sources.clone(),
            images: args.images.clone(),
        }
    }

    /// The folder that a job's relative image references are in.
    pub(super) fn job_dir(job: &Path) -> PathBuf {
        job.parent().map(Path::to_path_buf).unwrap_or_default()
    }

    /// A line for each image reference that was not fetched.
    pub(super) fn warn(unfetched: &[Unfetched]) {
        for warning in unfetched {
            eprintln!("mixlayout: {warning}");
        }
    }

    /// The options a drawing command uses: the job's, on every core.
    fn render_options(job: &Job, labels: bool) -> RenderOptions {
        let mut options = RenderOptions::for_job(job);
        if !labels {
            options.style = options.style.without_labels();
        }
        options.threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        options
    }

    /// The layout to draw, refusing an audio-only job (nothing to draw).
    fn drawable(args: &AtArgs) -> Result<(Meeting, Layout), Failure> {
        let meeting = Meeting::load(&args.room)?;
        let layout = meeting.layout_at(args.at)?;
        mixlayout::plan::canvas(&layout).map_err(|e| at_file(&args.room.job, e))?;
        Ok((meeting, layout))
    }

    pub(super) fn preview(args: &PreviewArgs) -> Result<(), Failure> {
        let (meeting, layout) = drawable(&args.at)?;
        let load = load_options(&args.at.room.job, &args.pictures);
        let (pictures, unfetched) = Pictures::load(meeting.room.job(), &[&layout], &load)?;
        warn(&unfetched);
        let image = render(
            &layout,
            &pictures,
            &render_options(meeting.room.job(), !args.no_labels),
        )?;
        write_image(&image, &args.output)?;
        Ok(())
    }

    pub(super) fn storyboard(args: &StoryboardArgs) -> Result<(), Failure> {
        let meeting = Meeting::load(&args.timeline.room)?;
        meeting.check()?;
        let mut timeline = meeting.timeline(args.timeline.until);
        let mut epochs: Vec<(u32, Layout)> = Vec::new();
        let mut total = 0;
        while let Some(epoch) = timeline
            .next_epoch()
            .map_err(|e| meeting.event_failure(e))?
        {
            if epochs.len() < mixlayout::render::STORYBOARD_CELLS {
                epochs.push((epoch.from, epoch.layout.clone()));
            }
            total += 1;
        }
        if let Some((_, first)) = epochs.first() {
            mixlayout::plan::canvas(first).map_err(|e| at_file(&args.timeline.room.job, e))?;
        }
        let layouts: Vec<&Layout> = epochs.iter().map(|(_, l)| l).collect();
        let load = load_options(&args.timeline.room.job, &args.pictures);
        let (pictures, unfetched) = Pictures::load(meeting.room.job(), &layouts, &load)?;
        warn(&unfetched);
        let cells: Vec<(u32, &Layout)> = epochs.iter().map(|(from, l)| (*from, l)).collect();
        let options = render_options(meeting.room.job(), !args.no_labels);
        let board = mixlayout::render::storyboard(&cells, total, &pictures, &options)?;
        write_image(&board, &args.output)?;
        Ok(())
    }

    /// Builds an export command; prints it, or runs it into a temporary
    /// file that then replaces the output.
    pub(super) fn export(args: &ExportArgs, build: Exporter) -> Result<(), Failure> {
        let (meeting, layout) = drawable(&args.at)?;
        let load = load_options(&args.at.room.job, &args.pictures);
        let inputs = Inputs::locate(meeting.room.job(), &[&layout], &load)?;
        warn(&inputs.unfetched);
        let style = render_options(meeting.room.job(), false).style;
        if !args.run {
            let command = build(&layout, &inputs, &style, &args.output)?;
            return write_stdout(|out| writeln!(out, "{}", command.shell_line()));
        }
        check_run_budget(&inputs)?;
        let output = Output::new(&args.output)?;
        let command = build(&layout, &inputs, &style, output.temp_path())?;
        let run = command
            .to_process()
            .stdin(std::process::Stdio::null())
            .output()
            .map_err(|e| Failure(format!("{}: {e}", command.program)))?;
        if !run.status.success() || !output.temp_path().is_file() {
            let said = String::from_utf8_lossy(&run.stderr);
            let first = said
                .lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("no output");
            return Err(Failure(format!(
                "{} failed ({}): {first}",
                command.program, run.status
            )));
        }
        output.commit()?;
        Ok(())
    }
}

/// A job, its room after `--users`, and its events.
struct Meeting {
    room: Room,
    events: Vec<Event>,
    events_file: Option<PathBuf>,
    lenient: bool,
}

impl Meeting {
    fn load(args: &RoomArgs) -> Result<Meeting, Failure> {
        let job_bytes = read_limited(&args.job, MAX_JOB_BYTES)?;
        let job = Job::from_json(&job_bytes).map_err(|e| at_file(&args.job, e))?;
        let mut room = Room::new(Arc::new(job));
        for n in 1..=args.users {
            let join = Event::join(format!("u{n}"), None).at(0);
            room.apply(&join)
                .map_err(|e| Failure(format!("--users: {e}")))?;
        }
        let events = match &args.events {
            Some(path) => {
                let bytes = read_limited(path, MAX_EVENTS_BYTES)?;
                parse_events(&bytes).map_err(|e| at_file(path, e))?
            }
            None => Vec::new(),
        };
        Ok(Meeting {
            room,
            events,
            events_file: args.events.clone(),
            lenient: args.lenient,
        })
    }

    /// An event error, naming the events file.
    fn event_failure(&self, e: EventError) -> Failure {
        match &self.events_file {
            Some(path) => at_file(path, e),
            None => Failure(e.to_string()),
        }
    }

    /// A timeline of the meeting.
    fn timeline(&self, until: Option<u32>) -> Timeline<'_> {
        let timeline = Timeline::new(self.room.clone(), &self.events).lenient(self.lenient);
        match until {
            Some(u) => timeline.until(u),
            None => timeline,
        }
    }

    /// Checks every event before anything is written: an error names the
    /// first rejected one; with --lenient each skipped one is a warning.
    /// Gives the instant of the last event applied.
    fn check(&self) -> Result<u32, Failure> {
        let mut timeline = self.timeline(None);
        timeline.run_out().map_err(|e| self.event_failure(e))?;
        self.warn_skipped(timeline.skipped());
        Ok(timeline.last_event_at().unwrap_or(0))
    }

    /// One warning line for each event skipped with --lenient.
    fn warn_skipped(&self, skipped: &[EventError]) {
        for e in skipped {
            let warning = self.event_failure(e.clone()).0;
            eprintln!("mixlayout: warning: {} (skipped)", Escaped(&warning));
        }
    }

    /// The layout at `at`, or at the last event's instant (§7): the
    /// layout of the epoch that holds the instant.
    fn layout_at(&self, at: Option<u32>) -> Result<Layout, Failure> {
        let last = self.check()?;
        let at = at.unwrap_or(last);
        let mut timeline = self.timeline(None);
        let mut layout = Layout::default();
        // The last epoch, open-ended, holds every later instant.
        while let Some(epoch) = timeline.next_epoch().map_err(|e| self.event_failure(e))? {
            if epoch.from <= at {
                layout.clone_from(epoch.layout);
            }
        }
        Ok(layout)
    }
}

/// Reads a file of at most `limit` bytes, naming it in any error.
fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, Failure> {
    let file = std::fs::File::open(path).map_err(|e| at_file(path, e))?;
    let mut bytes = Vec::new();
    file.take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| at_file(path, e))?;
    if bytes.len() as u64 > limit {
        return Err(at_file(path, format!("larger than {limit} bytes")));
    }
    Ok(bytes)
}

/// Writes to stdout through a buffer; a failure names stdout.
fn write_stdout(write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<(), Failure> {
    let stdout = std::io::stdout().lock();
    let mut out = std::io::BufWriter::new(stdout);
    write(&mut out)
        .and_then(|()| out.flush())
        .map_err(|e| Failure(format!("stdout: {e}")))
}
