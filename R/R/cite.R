#' What to cite when using Entente's output, as `entente cite` (and peacesciencer's
#' `ps_cite`): the bundled data sets, the models, and Entente itself.
#'
#' @param role only `"data"`, `"model"` or `"software"` entries (default: all).
#' @param bibtex return the BibTeX entries as one string instead.
#' @return a data frame (class `entente_citations`) with key, role, citation and bibtex.
#' @details The table is generated from the engine's citations
#'   (`crates/entente-data/src/citations.rs`) into `inst/extdata/citations.csv`; a test
#'   checks the file matches.
cite <- function(role = NULL, bibtex = FALSE) {
  p <- system.file("extdata", "citations.csv", package = "entente")
  if (p == "") p <- file.path(entente_source_dir(), "inst", "extdata", "citations.csv")
  c <- utils::read.csv(p, stringsAsFactors = FALSE)
  if (!is.null(role)) c <- c[c$role %in% role, , drop = FALSE]
  if (bibtex) return(paste(c$bibtex, collapse = "\n"))
  class(c) <- c("entente_citations", class(c))
  c
}

print.entente_citations <- function(x, ...) {
  for (i in seq_len(nrow(x))) cat(sprintf("[%s] %s\n\n", x$role[i], x$citation[i]))
  invisible(x)
}

# Where the package's sources are when it is loaded from them rather than installed.
entente_source_dir <- function() {
  d <- getOption("entente.source_dir", "R")
  d
}
