#' The runs recorded in an Entente run store (the SQLite file `entente run` writes).
#'
#' @param store the run store's path (default: `$ENTENTE_STORE`, else `out/entente.sqlite`).
#' @return a data frame, one row per run (id, scenario, status, seed, draws, shard,
#'   started_at and finished_at as POSIXct in UTC, out_dir, kind, ...), oldest first.
runs <- function(store = Sys.getenv("ENTENTE_STORE", "out/entente.sqlite")) {
  with_store(store, function(con) {
    r <- DBI::dbGetQuery(con, "SELECT * FROM runs ORDER BY started_at, id")
    for (col in c("started_at", "finished_at")) {
      r[[col]] <- as.POSIXct(r[[col]], format = "%Y-%m-%dT%H:%M:%SZ", tz = "UTC")
    }
    r
  })
}

#' The claims a run store holds for one run (or every run).
run_claims <- function(run_id = NULL, store = Sys.getenv("ENTENTE_STORE", "out/entente.sqlite")) {
  with_store(store, function(con) {
    if (is.null(run_id)) {
      DBI::dbGetQuery(con, "SELECT * FROM claims ORDER BY run_id, claim")
    } else {
      DBI::dbGetQuery(con, "SELECT * FROM claims WHERE run_id = ? ORDER BY claim",
                      params = list(run_id))
    }
  })
}

with_store <- function(store, f) {
  for (pkg in c("DBI", "RSQLite")) {
    if (!requireNamespace(pkg, quietly = TRUE)) {
      stop(sprintf("reading the run store needs the %s package (Debian: r-cran-%s)",
                   pkg, tolower(pkg)), call. = FALSE)
    }
  }
  if (!file.exists(store)) {
    stop(sprintf("%s: no run store (run `entente run` first)", store), call. = FALSE)
  }
  con <- DBI::dbConnect(RSQLite::SQLite(), store, flags = RSQLite::SQLITE_RO)
  on.exit(DBI::dbDisconnect(con))
  f(con)
}
