use gigawatt::cli::{self, Cli, Command};
use gigawatt::theme::Theme;
use gigawatt::tui;

fn main() {
    let cli = cli::parse();
    let code = match &cli.command {
        Some(Command::Check { file, data }) => {
            cli::check(file.as_deref().or(data.as_deref()).or(cli.data.as_deref()))
        }
        Some(Command::Export {
            table,
            format,
            data,
            raw,
        }) => cli::export(
            data.as_deref().or(cli.data.as_deref()),
            *table,
            *format,
            *raw,
        ),
        Some(Command::Init {
            file,
            subject,
            force,
        }) => cli::init(file, subject, *force),
        Some(Command::Completions { shell }) => cli::completions(*shell),
        Some(Command::Man) => cli::man(),
        None => explore(&cli),
    };
    std::process::exit(code);
}

fn explore(cli: &Cli) -> i32 {
    use std::io::Write;
    let no_color = std::env::var("NO_COLOR").ok();
    let options = tui::Options {
        data: cli.data.clone(),
        color: Theme::wants_color(cli.color, no_color.as_deref()),
        watch: !cli.no_watch,
        export_dir: cli.export_dir.clone(),
    };
    // Errors go to stderr; if that fails too there is nowhere to say so.
    let mut stderr = std::io::stderr();
    let term = std::env::var("TERM").ok();
    if let Some(why) = tui::unusable(term.as_deref()) {
        let _ = writeln!(stderr, "gigawatt: {why}");
        return 1;
    }
    match tui::run(options) {
        Ok(tui::Outcome {
            signal: Some(number),
            ..
        }) => 128 + number,
        Ok(tui::Outcome {
            report: Some(report),
            ..
        }) => {
            let _ = stderr.write_all(report.as_bytes());
            1
        }
        Ok(_) => 0,
        Err(e) => {
            let message = gigawatt::text::escape_controls(&e.to_string()).into_owned();
            let _ = writeln!(stderr, "gigawatt: terminal error: {message}");
            1
        }
    }
}
