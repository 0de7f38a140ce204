#' Read a run folder written by `entente run` or Python's `entente.run`.
#'
#' @param dir the run's folder (`out/<scenario>-<run id>/`).
#' @param draws read the draws too (they are the largest part).
#' @return a list of class `entente_run`: `claims` (one row per claim), `draws` (the tidy
#'   draws: draw, option, year, state, metric, value and one column per parameter; `option`
#'   a factor), `codebook` (what each metric measures, in which unit), `claims_curve`,
#'   `summary` (the parsed summary.json, when jsonlite is installed), `run` (run.json) and
#'   `draws_from` (`"parquet"` or `"csv"`).
#' @details Draws come from `draws.parquet` through arrow when it is installed, else from
#'   `draws.csv` (written by `entente run --csv` or `entente.run(csv=True)`). Missing values
#'   are `NA`, never 0; the system-level `state` is `""`.
read_run <- function(dir, draws = TRUE) {
  if (!dir.exists(dir)) stop(sprintf("%s: no such run folder", dir), call. = FALSE)
  if (file.exists(file.path(dir, "RUNNING"))) {
    warning(sprintf("%s: the run has not finished (RUNNING is there)", dir), call. = FALSE)
  }
  read <- function(name, required = TRUE) {
    p <- file.path(dir, name)
    if (!file.exists(p)) {
      if (required) stop(sprintf("%s: missing (is this a run folder?)", p), call. = FALSE)
      return(NULL)
    }
    utils::read.csv(p, na.strings = "NA", stringsAsFactors = FALSE, check.names = FALSE)
  }
  out <- list(
    dir = normalizePath(dir),
    claims = read("claims.csv"),
    codebook = read("codebook.csv"),
    claims_curve = read("claims_curve.csv", required = FALSE),
    draws = NULL,
    draws_from = NA_character_,
    summary = NULL,
    run = NULL
  )
  if (draws) {
    d <- read_draws(dir)
    out$draws <- d$table
    out$draws_from <- d$from
  }
  json <- function(name) {
    p <- file.path(dir, name)
    if (file.exists(p) && requireNamespace("jsonlite", quietly = TRUE)) {
      jsonlite::fromJSON(p, simplifyDataFrame = TRUE)
    } else {
      NULL
    }
  }
  out$summary <- json("summary.json")
  out$run <- json("run.json")
  class(out) <- "entente_run"
  out
}

# The draws: Parquet through arrow when installed, else draws.csv.
read_draws <- function(dir) {
  pq <- file.path(dir, "draws.parquet")
  csv <- file.path(dir, "draws.csv")
  if (file.exists(pq) && requireNamespace("arrow", quietly = TRUE)) {
    t <- as.data.frame(arrow::read_parquet(pq))
    return(list(table = t, from = "parquet"))
  }
  if (file.exists(csv)) {
    t <- utils::read.csv(csv, na.strings = "NA", stringsAsFactors = FALSE,
                         check.names = FALSE, colClasses = c(state = "character"))
    t$state[is.na(t$state)] <- ""
    t$option <- factor(t$option, levels = unique(t$option))
    return(list(table = t, from = "csv"))
  }
  stop(sprintf(
    "%s: no draws to read: install the arrow package to read draws.parquet, or rerun with --csv (entente.run(csv=True)) to have draws.csv",
    dir), call. = FALSE)
}

#' The newest run folder of a scenario under `out` (run ids sort by start time).
latest_run <- function(scenario = "nato-ip4", out = "out") {
  dirs <- sort(Sys.glob(file.path(out, paste0(scenario, "-*"))))
  # The run id starts with the UTC start time; nato-ip4-reliable-<id> is another scenario's.
  id <- substring(basename(dirs), nchar(scenario) + 2)
  dirs <- dirs[grepl("^[0-9]{8}T[0-9]{6}Z", id) & dir.exists(dirs) & !file.exists(file.path(dirs, "RUNNING"))]
  if (length(dirs) == 0) stop(sprintf("no finished run of %s under %s", scenario, out), call. = FALSE)
  dirs[length(dirs)]
}

print.entente_run <- function(x, ...) {
  cat(sprintf("Entente run %s\n", x$dir))
  if (!is.null(x$draws)) {
    cat(sprintf("  %d draw rows (from %s)\n", nrow(x$draws), x$draws_from))
  }
  print(x$claims[, intersect(c("claim", "status", "probability", "lo", "hi"), names(x$claims))])
  invisible(x)
}
