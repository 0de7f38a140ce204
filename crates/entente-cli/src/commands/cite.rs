//! `entente cite`: what to cite when using Entente's output, as text or BibTeX.

use std::io::Write;

use entente_data::citations::{Role, CITATIONS};

#[derive(clap::Args)]
pub struct Args {
    /// Print BibTeX entries instead of text.
    #[arg(long, conflicts_with = "cff")]
    pub bibtex: bool,
    /// Print the repository's CITATION.cff (Citation File Format 1.2.0).
    #[arg(long)]
    pub cff: bool,
}

pub fn run(args: Args) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    if args.cff {
        write!(
            out,
            "{}",
            entente_data::citations::cff(env!("CARGO_PKG_VERSION"))
        )?;
        return Ok(());
    }
    if args.bibtex {
        for c in CITATIONS {
            writeln!(out, "{}\n", c.bibtex())?;
        }
        return Ok(());
    }
    for (role, title) in [
        (Role::Software, "Entente"),
        (
            Role::Data,
            "Bundled data (versions and licences in data/SOURCES.md)",
        ),
        (Role::Model, "Models and methods"),
    ] {
        writeln!(out, "{title}:")?;
        for c in CITATIONS.iter().filter(|c| c.role == role) {
            writeln!(out, "- {}", c.text())?;
        }
        writeln!(out)?;
    }
    writeln!(out, "BibTeX: entente cite --bibtex")?;
    Ok(())
}

/// `entente --version`: the version, then every bundled data set with its version.
pub fn long_version() -> String {
    let files = entente_data::citations::bundled_files();
    let mut s = format!(
        "{}\nbundled data ({} files; data/SOURCES.md has their sha256 and licences):",
        env!("CARGO_PKG_VERSION"),
        files.len()
    );
    let width = files.iter().map(|f| f.file.len()).max().unwrap_or(0);
    for f in &files {
        s.push_str(&format!("\n  {:width$}  {}", f.file, f.dataset));
    }
    s.push_str("\ncite them: entente cite [--bibtex]");
    s
}
