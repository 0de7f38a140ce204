//! Graphs in rudy format (the G-set's): a line `n m`, then m lines `i j w` with 1-based
//! vertices. Blank lines are skipped. Extra tokens after `n m` on the header line are accepted
//! with a warning (a circulated copy of G1 has `800 19176 J`); every other malformed line is
//! an error naming its line.

use crate::DataError;

/// Most vertices a graph file may declare: far above the G-set's 20,000, far below what
/// would exhaust memory (the solver holds a few words per vertex).
pub const MAX_VERTICES: usize = 10_000_000;

/// A graph read from a rudy file, with vertices renumbered from 0.
#[derive(Debug, Clone, PartialEq)]
pub struct RudyGraph {
    pub n: usize,
    pub edges: Vec<(usize, usize, f64)>,
    /// Things accepted but worth telling the user (extra header tokens), with file and line.
    pub warnings: Vec<String>,
}

fn int(file: &str, line: u64, field: &str, tok: &str) -> Result<usize, DataError> {
    tok.parse()
        .map_err(|_| DataError::field(file, line, field, format!("`{tok}` is not a whole number")))
}

/// Parse a rudy-format graph.
pub fn parse_rudy(text: &str, file: &str) -> Result<RudyGraph, DataError> {
    let mut lines = text
        .split('\n')
        .enumerate()
        .map(|(k, l)| (k as u64 + 1, l.trim_end_matches('\r')))
        .filter(|(_, l)| !l.trim().is_empty());
    let Some((hline, header)) = lines.next() else {
        return Err(DataError::file(file, "the file is empty"));
    };
    let toks: Vec<&str> = header.split_whitespace().collect();
    if toks.len() < 2 {
        return Err(DataError::line(
            file,
            hline,
            format!(
                "the header must be `n m` (vertices, edges), found `{}`",
                header.trim()
            ),
        ));
    }
    let n = int(file, hline, "n", toks[0])?;
    let m = int(file, hline, "m", toks[1])?;
    if n == 0 {
        return Err(DataError::field(file, hline, "n", "a graph needs a vertex"));
    }
    if n > MAX_VERTICES {
        return Err(DataError::field(
            file,
            hline,
            "n",
            format!("{n} vertices is more than this reader accepts ({MAX_VERTICES})"),
        ));
    }
    let mut warnings = Vec::new();
    if toks.len() > 2 {
        warnings.push(format!(
            "{file}:{hline}: ignoring `{}` after `n m` on the header line",
            toks[2..].join(" ")
        ));
    }
    // Sized by the lines actually present, not by the header's claim.
    let mut edges = Vec::with_capacity(m.min(text.len() / 6 + 1));
    for (line, l) in lines {
        let toks: Vec<&str> = l.split_whitespace().collect();
        if toks.len() != 3 {
            return Err(DataError::line(
                file,
                line,
                format!("an edge line must be `i j w`, found `{}`", l.trim()),
            ));
        }
        if edges.len() == m {
            return Err(DataError::line(
                file,
                line,
                format!("more edges than the {m} the header announces"),
            ));
        }
        let i = int(file, line, "i", toks[0])?;
        let j = int(file, line, "j", toks[1])?;
        for (v, f) in [(i, "i"), (j, "j")] {
            if v == 0 || v > n {
                return Err(DataError::field(
                    file,
                    line,
                    f,
                    format!("vertex {v} is outside 1..={n}"),
                ));
            }
        }
        if i == j {
            return Err(DataError::line(file, line, format!("loop on vertex {i}")));
        }
        let w: f64 = toks[2]
            .parse()
            .ok()
            .filter(|w: &f64| w.is_finite())
            .ok_or_else(|| {
                DataError::field(file, line, "w", format!("`{}` is not a number", toks[2]))
            })?;
        edges.push((i - 1, j - 1, w));
    }
    if edges.len() != m {
        return Err(DataError::file(
            file,
            format!(
                "the header announces {m} edges but the file has {}",
                edges.len()
            ),
        ));
    }
    Ok(RudyGraph { n, edges, warnings })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_small_graph() {
        let g = parse_rudy("3 2\n1 2 1\n\n2 3 -1\n", "g.txt").unwrap();
        assert_eq!(g.n, 3);
        assert_eq!(g.edges, vec![(0, 1, 1.0), (1, 2, -1.0)]);
        assert!(g.warnings.is_empty());
    }

    #[test]
    fn extra_header_tokens_are_kept_out_with_a_warning() {
        let g = parse_rudy("3 2 J\n1 2 1\n2 3 -1\n", "G1.txt").unwrap();
        assert_eq!((g.n, g.edges.len()), (3, 2));
        assert_eq!(
            g.warnings,
            vec!["G1.txt:1: ignoring `J` after `n m` on the header line".to_string()]
        );
        let g = parse_rudy("\n3 2 x  y\n1 2 1\n2 3 -1\n", "g.txt").unwrap();
        assert_eq!(
            g.warnings,
            vec!["g.txt:2: ignoring `x y` after `n m` on the header line".to_string()]
        );
        // The header still needs two whole numbers first.
        let e = parse_rudy("3 J 2\n1 2 1\n", "g.txt").unwrap_err();
        assert_eq!(
            e.to_string(),
            "g.txt:1: field `m`: `J` is not a whole number"
        );
        // Body lines stay strict: a fourth token is an error, not a warning.
        let e = parse_rudy("3 1\n1 2 1 J\n", "g.txt").unwrap_err();
        assert_eq!(
            e.to_string(),
            "g.txt:2: an edge line must be `i j w`, found `1 2 1 J`"
        );
    }

    #[test]
    fn malformed_lines_are_named() {
        let e = parse_rudy("800\n1 2 1\n", "G1.txt").unwrap_err();
        assert_eq!(
            e.to_string(),
            "G1.txt:1: the header must be `n m` (vertices, edges), found `800`"
        );
        let e = parse_rudy("3 2\n1 2 1\n2 x 1\n", "g.txt").unwrap_err();
        assert_eq!(
            e.to_string(),
            "g.txt:3: field `j`: `x` is not a whole number"
        );
        let e = parse_rudy("3 2\n1 2 1\n2 4 1\n", "g.txt").unwrap_err();
        assert_eq!(
            e.to_string(),
            "g.txt:3: field `j`: vertex 4 is outside 1..=3"
        );
        let e = parse_rudy("3 2\n1 2\n", "g.txt").unwrap_err();
        assert_eq!(
            e.to_string(),
            "g.txt:2: an edge line must be `i j w`, found `1 2`"
        );
        let e = parse_rudy("3 2\n1 2 1\n", "g.txt").unwrap_err();
        assert_eq!(
            e.to_string(),
            "g.txt: the header announces 2 edges but the file has 1"
        );
        assert!(parse_rudy("", "g.txt").is_err());
    }

    /// Issue 19, item 6: the header's counts are refused or capped before anything is sized
    /// by them (a header `1000000000000 1` asked for 8 TB).
    #[test]
    fn regression_item6_a_huge_header_is_refused_before_allocating() {
        let e = parse_rudy("1000000000000 1\n1 2 1\n", "g.txt").unwrap_err();
        assert_eq!(
            e.to_string(),
            format!("g.txt:1: field `n`: 1000000000000 vertices is more than this reader accepts ({MAX_VERTICES})")
        );
        let e = parse_rudy("3 1000000000000000000\n1 2 1\n", "g.txt").unwrap_err();
        assert_eq!(
            e.to_string(),
            "g.txt: the header announces 1000000000000000000 edges but the file has 1"
        );
    }
}
