//! `wfmc serve`: the what-if explorer. A local HTTP server (axum on tokio) serving
//! one page (`assets/explorer/`, compiled in) and a small JSON API over
//! [`wfmc::jobs::view`]; it only translates requests and responses, and words the
//! library's errors with the API's own fields ([`Api`]).
//!
//! API (documented in the user guide):
//! - `GET /api/config`: the config's name, stress profiles, interventions, the explorer's
//!   controls with their current values, per-area base values, draw limits;
//! - `GET /api/paths`: every path `set` accepts;
//! - `POST /api/discover` with `{"area": KEY, "threshold": WTE, "scenario": KEY,
//!   "set": …, "stress": …, "draws": N, "seed": S, "page": ID}`: why the area falls
//!   short under the what-if (`wfmc discover`'s box, sentences, chart, command and
//!   `discovery.csv` text);
//! - `POST /api/run` with `{"set": {PATH: VALUE}, "stress": [NAME], "draws": N,
//!   "seed": S, "page": ID, "compare": BOOL, "precision": SE}`: the run's summary,
//!   bands and shortfall CSV text, headline tables, charts, command and config diff;
//!   with `precision` the run stops once every last-year P(shortfall) has that
//!   standard error (`draws` the most it may draw) and says what it reached.
//!   Errors are `{"error": MESSAGE}` with 400 (bad request), 409 (superseded by a
//!   newer request of the same page), 413 (body too large), 503 (too many waiting)
//!   or 500.
//!
//! Bounds: bodies up to [`MAX_BODY`] bytes, at most `--max-draws` draws, one run at a
//! time (the others wait, at most [`MAX_WAITING`]); a page's newer request cancels
//! its older one. The only file read is the config given at start: paths that name
//! files (`forecasters.*`) cannot be set.

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use wfmc::jobs::view::{self, Request, View};
use wfmc::jobs::{Config, Control, Error, Hint, OverrideSource, Setting, Words};

/// Largest request body.
pub const MAX_BODY: usize = 64 * 1024;
/// Requests that may wait for the running one.
pub const MAX_WAITING: usize = 8;
/// Most overrides in one request.
const MAX_SET: usize = 256;
/// Draws the page starts with: with its precision, the most a run may draw.
pub const PAGE_DRAWS: u64 = 100_000;
/// Draws of a "why short?" discovery unless the request says otherwise.
pub const DISCOVER_DRAWS: u64 = wfmc::jobs::DEFAULT_DECISION_DRAWS;
/// The standard error of P(shortfall) the page asks for: what `wfmc run --until
/// p_shortfall_se=0.001` asks.
pub const PAGE_PRECISION: f64 = 0.001;

/// How the API words the library's errors: a setting by its JSON field, an
/// override by the `set` entry that gave it.
pub struct Api;

impl Words for Api {
    fn setting(&self, s: Setting) -> String {
        s.name().to_string()
    }

    fn source(&self, o: &OverrideSource) -> String {
        match o {
            OverrideSource::Set { path, value } => format!("set {{\"{path}\": {value}}}"),
            OverrideSource::Stress {
                profile,
                path,
                value,
            } => format!("stress {profile}: {path} = {value}"),
            OverrideSource::Intervention { name } => format!("intervention {name}"),
            OverrideSource::Vary { path, value } => format!("{path}={value}"),
        }
    }

    fn hint(&self, h: &Hint) -> String {
        match h {
            Hint::ListPaths => "GET /api/paths lists them all".into(),
            Hint::ListProfiles => "GET /api/config lists them".into(),
            h => wfmc::jobs::Plain.hint(h),
        }
    }
}

/// Starts the server the command line asks for.
pub fn command(a: &crate::args::ServeArgs) -> Result<(), Error> {
    let cfg = wfmc::jobs::ConfigRequest::from(&a.config).load()?;
    let threads = wfmc::jobs::DrawSettings {
        threads: a.threads.threads,
        draws: Some(a.max_draws),
        ..Default::default()
    };
    threads.check()?;
    serve(
        cfg,
        Options {
            bind: a.bind,
            port: a.port,
            open: a.open,
            threads: threads.threads(),
            max_draws: a.max_draws,
        },
    )
}

/// The server's settings, from the command line.
pub struct Options {
    /// Address to listen on (127.0.0.1 unless the user says otherwise).
    pub bind: std::net::IpAddr,
    /// Port (0: any free port).
    pub port: u16,
    /// Open the page in the default browser.
    pub open: bool,
    /// Worker threads of a run.
    pub threads: usize,
    /// Most draws a request may ask for.
    pub max_draws: u64,
}

struct App {
    base: Config,
    threads: usize,
    max_draws: u64,
    /// One run at a time: runs use every core already.
    gate: tokio::sync::Semaphore,
    waiting: AtomicUsize,
    /// Each page's latest request, cancelled when a newer one comes.
    pages: Mutex<HashMap<String, Arc<Control>>>,
    /// The run holding the gate, cancelled on shutdown.
    running: Mutex<Option<Arc<Control>>>,
    /// The last baseline run and its request.
    baseline: Mutex<Option<(Request, Arc<View>)>>,
}

/// Runs the server until Ctrl-C or SIGTERM.
pub fn serve(base: Config, opts: Options) -> Result<(), Error> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::io("starting the server", e))?;
    rt.block_on(async move {
        let addr = SocketAddr::new(opts.bind, opts.port);
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| Error::io(format!("listening on {addr}"), e))?;
        let local = listener
            .local_addr()
            .map_err(|e| Error::io("listening", e))?;
        let app = Arc::new(App {
            base,
            threads: opts.threads,
            max_draws: opts.max_draws,
            gate: tokio::sync::Semaphore::new(1),
            waiting: AtomicUsize::new(0),
            pages: Mutex::new(HashMap::new()),
            running: Mutex::new(None),
            baseline: Mutex::new(None),
        });
        let url = format!("http://{local}/");
        println!("wfmc serve: {url} (Ctrl-C to stop)");
        if !opts.bind.is_loopback() {
            eprintln!(
                "warning: listening on {} — anyone who can reach this address can run the model",
                opts.bind
            );
        }
        if opts.open && webbrowser::open(&url).is_err() {
            eprintln!("note: could not open a browser; open {url} yourself");
        }
        let stop = app.clone();
        axum::serve(listener, router(app))
            .with_graceful_shutdown(async move {
                shutdown_signal().await;
                eprintln!("wfmc serve: stopping");
                if let Some(c) = stop
                    .running
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .as_ref()
                {
                    c.cancel.store(true, Ordering::Relaxed);
                }
            })
            .await
            .map_err(|e| Error::io("serving", e))
    })
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}

fn router(app: Arc<App>) -> Router {
    const INDEX: &str = include_str!("../../../assets/explorer/index.html");
    const SCRIPT: &str = include_str!("../../../assets/explorer/app.js");
    const STYLE: &str = include_str!("../../../assets/explorer/style.css");
    let asset = |body: &'static str, kind: &'static str| {
        move || async move { ([(header::CONTENT_TYPE, kind)], body) }
    };
    Router::new()
        .route("/", get(asset(INDEX, "text/html; charset=utf-8")))
        .route(
            "/app.js",
            get(asset(SCRIPT, "text/javascript; charset=utf-8")),
        )
        .route("/style.css", get(asset(STYLE, "text/css; charset=utf-8")))
        .route("/api/config", get(config))
        .route("/api/paths", get(paths))
        .route("/api/run", post(run))
        .route("/api/discover", post(discover))
        .fallback(|| async { failure(StatusCode::NOT_FOUND, "no such page or API") })
        .layer(axum::extract::DefaultBodyLimit::max(MAX_BODY))
        .with_state(app)
}

fn reply(status: StatusCode, doc: &Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        doc.to_string(),
    )
        .into_response()
}

fn failure(status: StatusCode, msg: impl Into<String>) -> Response {
    reply(status, &json!({ "error": msg.into() }))
}

/// Paths whose values name files: not settable through the API, which may read no
/// file but the config given at start.
fn names_a_file(path: &str) -> bool {
    path == "forecasters" || path.starts_with("forecasters.")
}

/// The controls the page shows with the config's own values (as `--set` writes them).
const CONTROLS: &[&str] = &[
    "salary_growth",
    "salary_path",
    "uncertainty.demand_ratio.dist",
    "uncertainty.demand_ratio.rho",
    "uncertainty.flow_rate.dist",
    "uncertainty.flow_rate.rho",
    "uncertainty.skill_mix.concentration",
    "uncertainty.band.p",
];

async fn config(State(app): State<Arc<App>>) -> Response {
    let cfg = &app.base;
    let values: BTreeMap<&str, Value> = CONTROLS
        .iter()
        .map(|&p| (p, cfg.value_text(p).map_or(Value::Null, Value::String)))
        .collect();
    let shape = view::shape(cfg);
    let areas: Vec<Value> = shape
        .areas
        .iter()
        .map(|a| {
            let ratio: BTreeMap<&str, f64> =
                a.ratio.iter().map(|(s, r)| (s.as_str(), *r)).collect();
            json!({
                "key": a.key, "label": a.label,
                "flow_rate": a.flow_rate,
                "extra_inflow": a.extra_inflow,
                "ratio": ratio,
            })
        })
        .collect();
    let scenarios: Vec<Value> = shape
        .scenarios
        .iter()
        .map(|(k, l)| json!({ "key": k, "label": l }))
        .collect();
    let stress: Vec<Value> = cfg
        .stress
        .iter()
        .map(|p| {
            json!({
                "name": p.name, "description": p.description,
                "set": p.set.iter().map(|(k, v)| format!("{k} = {v}")).collect::<Vec<_>>(),
            })
        })
        .collect();
    let interventions: Vec<Value> = cfg
        .interventions
        .iter()
        .map(|i| json!({ "name": i.name, "description": i.description, "active": i.active }))
        .collect();
    reply(
        StatusCode::OK,
        &json!({
            "interventions": interventions,
            "name": cfg.name, "title": cfg.title, "origin": cfg.origin,
            "draws": PAGE_DRAWS.min(app.max_draws), "max_draws": app.max_draws,
            "precision": PAGE_PRECISION,
            "seed": wfmc::jobs::DEFAULT_SEED,
            "values": values, "areas": areas, "scenarios": scenarios, "stress": stress,
            "years": shape.years,
        }),
    )
}

async fn paths(State(app): State<Arc<App>>) -> Response {
    let list: Vec<String> = app
        .base
        .settable_paths()
        .into_iter()
        .filter(|p| !names_a_file(p))
        .collect();
    reply(StatusCode::OK, &json!(list))
}

/// `POST /api/run`'s body.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RunBody {
    #[serde(default)]
    set: BTreeMap<String, Value>,
    #[serde(default)]
    stress: Vec<String>,
    draws: Option<u64>,
    seed: Option<u64>,
    /// The page asking: its newer request cancels its older one.
    page: Option<String>,
    /// Also run the baseline (no overrides) with the same seed and draws.
    #[serde(default)]
    compare: bool,
    /// Stop once every last-year P(shortfall) has at most this standard error
    /// (`draws` then the most it may draw).
    precision: Option<f64>,
}

/// A request's body as a [`Request`], or the message of a 400.
fn parse(app: &App, body: &[u8]) -> Result<(Request, Option<String>, bool), String> {
    let b: RunBody =
        serde_json::from_slice(body).map_err(|e| format!("the request body is not valid: {e}"))?;
    let draws = b.draws.unwrap_or(PAGE_DRAWS.min(app.max_draws));
    if draws == 0 || draws > app.max_draws {
        return Err(format!(
            "draws {draws}: from 1 to {} (the server's --max-draws)",
            app.max_draws
        ));
    }
    let (set, page) = (overrides(b.set, &b.stress, b.page.as_deref())?, b.page);
    if let Some(p) = b.precision
        && !(p > 0.0 && p < 1.0)
    {
        return Err(format!(
            "precision {p}: a standard error of P(shortfall), above 0 and below 1"
        ));
    }
    let req = Request {
        stress: b.stress,
        set,
        draws,
        seed: b.seed.unwrap_or(wfmc::jobs::DEFAULT_SEED),
        precision: b.precision,
    };
    Ok((req, page, b.compare))
}

/// A body's `set` as `PATH=VALUE` overrides (checking the body's limits), or the
/// message of a 400.
fn overrides(
    map: BTreeMap<String, Value>,
    stress: &[String],
    page: Option<&str>,
) -> Result<Vec<String>, String> {
    if map.len() > MAX_SET || stress.len() > 64 {
        return Err(format!(
            "at most {MAX_SET} overrides and 64 stress profiles in one request"
        ));
    }
    if page.is_some_and(|p| p.len() > 64) {
        return Err("page: at most 64 characters".into());
    }
    let mut set = vec![];
    for (path, v) in map {
        if names_a_file(&path) {
            return Err(format!(
                "{path}: names a file; the explorer reads no file but its config (use the CLI)"
            ));
        }
        let text = match v {
            Value::String(s) => s,
            Value::Number(n) => n.to_string(),
            Value::Bool(x) => x.to_string(),
            Value::Array(_) => v.to_string(),
            Value::Null | Value::Object(_) => {
                return Err(format!(
                    "{path}: a value is a number, a string (e.g. \"normal(0.03, 0.01)\") or a list of numbers"
                ));
            }
        };
        set.push(format!("{path}={text}"));
    }
    Ok(set)
}

/// Cancels its run when dropped before [`Armed::disarm`]: a client that goes away
/// (a newer request, a closed tab) stops the run it started.
struct Armed(Option<Arc<Control>>);

impl Armed {
    fn disarm(mut self) {
        self.0 = None;
    }
}

impl Drop for Armed {
    fn drop(&mut self) {
        if let Some(c) = &self.0 {
            c.cancel.store(true, Ordering::Relaxed);
        }
    }
}

/// Counts a waiting request while it lives.
struct Waiting<'a>(&'a AtomicUsize);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
    }
}

/// The response to a body that could not be read.
fn unreadable(e: BytesRejection) -> Response {
    failure(
        e.status(),
        format!("the request body could not be read ({e}); at most {MAX_BODY} bytes"),
    )
}

async fn run(State(app): State<Arc<App>>, body: Result<Bytes, BytesRejection>) -> Response {
    let body = match body {
        Ok(b) => b,
        Err(e) => return unreadable(e),
    };
    let (req, page, compare) = match parse(&app, &body) {
        Ok(x) => x,
        Err(msg) => return failure(StatusCode::BAD_REQUEST, msg),
    };
    gated(app, page, move |app, control| {
        compute(app, &req, compare, control)
    })
    .await
}

/// Runs `job` when the gate lets it (one job at a time, at most [`MAX_WAITING`]
/// waiting), cancelling the older job of the same `page`, and words its outcome.
async fn gated<F>(app: Arc<App>, page: Option<String>, job: F) -> Response
where
    F: FnOnce(&App, &Control) -> Result<Value, Error> + Send + 'static,
{
    let control = Arc::new(Control::default());
    if let Some(p) = page {
        let mut pages = app.pages.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(old) = pages.insert(p, control.clone()) {
            old.cancel.store(true, Ordering::Relaxed);
        }
    }
    let armed = Armed(Some(control.clone()));
    if app.waiting.fetch_add(1, Ordering::Relaxed) >= MAX_WAITING {
        app.waiting.fetch_sub(1, Ordering::Relaxed);
        return failure(
            StatusCode::SERVICE_UNAVAILABLE,
            "too many requests waiting; try again",
        );
    }
    let waiting = Waiting(&app.waiting);
    let Ok(_permit) = app.gate.acquire().await else {
        return failure(StatusCode::SERVICE_UNAVAILABLE, "the server is stopping");
    };
    drop(waiting);
    if control.check().is_err() {
        return superseded();
    }
    *app.running.lock().unwrap_or_else(|p| p.into_inner()) = Some(control.clone());
    let job = {
        let (app, control) = (app.clone(), control.clone());
        tokio::task::spawn_blocking(move || job(&app, &control))
    };
    let out = job.await;
    *app.running.lock().unwrap_or_else(|p| p.into_inner()) = None;
    armed.disarm();
    match out {
        Ok(Ok(doc)) => reply(StatusCode::OK, &doc),
        Ok(Err(Error::Interrupted)) => superseded(),
        Ok(Err(e)) => failure(
            if e.exit_code() == 2 {
                StatusCode::BAD_REQUEST
            } else {
                StatusCode::INTERNAL_SERVER_ERROR
            },
            e.message(&Api),
        ),
        Err(_) => failure(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the run failed (a bug: please report it)",
        ),
    }
}

/// `POST /api/discover`'s body: why an area falls short under a what-if.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DiscoverBody {
    /// An area key or `total`.
    area: String,
    /// Count only shortfalls above this many WTE.
    threshold: Option<f64>,
    /// A scenario key (default: the first).
    scenario: Option<String>,
    #[serde(default)]
    set: BTreeMap<String, Value>,
    #[serde(default)]
    stress: Vec<String>,
    draws: Option<u64>,
    seed: Option<u64>,
    page: Option<String>,
}

async fn discover(State(app): State<Arc<App>>, body: Result<Bytes, BytesRejection>) -> Response {
    let body = match body {
        Ok(b) => b,
        Err(e) => return unreadable(e),
    };
    let parsed = serde_json::from_slice::<DiscoverBody>(&body)
        .map_err(|e| format!("the request body is not valid: {e}"))
        .and_then(|mut b| {
            let most = app.max_draws.min(wfmc::jobs::MAX_DECISION_DRAWS);
            let draws = b.draws.unwrap_or(DISCOVER_DRAWS.min(most));
            if draws == 0 || draws > most {
                return Err(format!(
                    "draws {draws}: from 1 to {most} (every draw is kept in memory)"
                ));
            }
            let set = overrides(std::mem::take(&mut b.set), &b.stress, b.page.as_deref())?;
            Ok((b, set, draws))
        });
    let (b, set, draws) = match parsed {
        Ok(x) => x,
        Err(msg) => return failure(StatusCode::BAD_REQUEST, msg),
    };
    let req = Request {
        stress: b.stress,
        set,
        draws,
        seed: b.seed.unwrap_or(wfmc::jobs::DEFAULT_SEED),
        precision: None,
    };
    // A page's newer discovery cancels its older one, not its run.
    let page = b.page.map(|p| format!("{p}\u{0}discover"));
    let (area, threshold, scenario) = (b.area, b.threshold, b.scenario);
    gated(app, page, move |app, control| {
        let t0 = std::time::Instant::now();
        let w = view::why_short(
            &app.base,
            &req,
            &area,
            threshold,
            scenario.as_deref(),
            req.draws,
            app.threads,
            control,
        )?;
        let o = &w.outcome;
        let d = &o.discovery;
        let restrictions: Vec<Value> = d
            .restrictions
            .iter()
            .map(|r| {
                json!({
                    "input": o.inputs[r.input], "lower": r.lower, "upper": r.upper,
                    "qp_lower": r.qp_lower, "qp_upper": r.qp_upper,
                })
            })
            .collect();
        let chosen = &d.trajectory.steps[d.chosen];
        Ok(json!({
            "area": o.area, "scenario": o.scenario, "year": o.year, "outcome": o.outcome,
            "draws": o.draws, "cases": d.cases, "seed": req.seed,
            "box": {
                "step": d.chosen, "coverage": chosen.coverage, "density": chosen.density,
                "mass": chosen.mass, "restrictions": restrictions,
            },
            "sentences": o.sentences(), "html": w.html, "command": w.command,
            "discovery_csv": o.csv(),
            "seconds": t0.elapsed().as_secs_f64(),
        }))
    })
    .await
}

fn superseded() -> Response {
    reply(
        StatusCode::CONFLICT,
        &json!({ "error": "superseded by a newer request, or stopped", "superseded": true }),
    )
}

/// The run (and baseline) of a request, as the response's JSON. A comparison is
/// paired: with a precision target the baseline runs first (or comes from the
/// cache) and the what-if takes the draws it stopped at, on the same blocks.
fn compute(app: &App, req: &Request, compare: bool, control: &Control) -> Result<Value, Error> {
    let t0 = std::time::Instant::now();
    let run = |r: &Request| -> Result<Arc<View>, Error> {
        Ok(Arc::new(view::run(
            &app.base,
            r,
            app.threads,
            control,
            &crate::words::Cli,
        )?))
    };
    let (this, base) = if req.is_baseline() {
        let this = baseline(app, req, control)?;
        (this.clone(), Some(this))
    } else if compare {
        let base = baseline(app, &req.baseline(), control)?;
        let this = run(&paired_with(req, &base))?;
        (this, Some(base))
    } else {
        (run(req)?, None)
    };
    let comparison = base.filter(|_| compare).map(|b| this.comparison_html(&b));
    let charts: Vec<Value> = this
        .charts()?
        .into_iter()
        .map(|c| json!({ "file": c.file, "title": c.title, "svg": c.svg }))
        .collect();
    let summary: Value =
        serde_json::from_str(&this.summary_json).map_err(|e| Error::Runtime(e.to_string()))?;
    Ok(json!({
        "config": this.cfg.name,
        "draws": this.spec.draws, "max_draws": req.draws,
        "seed": req.seed, "stress": req.stress, "set": req.set,
        "precision": this.reached.as_ref().zip(req.precision).map(|(r, target)| json!({
            "target": target, "se": r.se, "worst": r.label, "met": r.se <= target,
        })),
        "command": this.command, "diff": this.diff,
        "summary": summary,
        "bands_csv": this.bands_csv, "shortfall_csv": this.shortfall_csv,
        "headline_html": this.headline_html(),
        "comparison_html": comparison,
        "charts": charts,
        "seconds": t0.elapsed().as_secs_f64(),
    }))
}

/// The baseline request `req`, from the cache or run (and cached).
fn baseline(app: &App, req: &Request, control: &Control) -> Result<Arc<View>, Error> {
    let cached = app
        .baseline
        .lock()
        .unwrap_or_else(|p| p.into_inner())
        .clone();
    if let Some((r, v)) = cached
        && r == *req
    {
        return Ok(v);
    }
    let v = Arc::new(view::run(
        &app.base,
        req,
        app.threads,
        control,
        &crate::words::Cli,
    )?);
    *app.baseline.lock().unwrap_or_else(|p| p.into_inner()) = Some((req.clone(), v.clone()));
    Ok(v)
}

/// `req` on the draws of `base`: with a precision target, every draw `base` made
/// on the same blocks (a target of 0 is never met before the draws run out).
fn paired_with(req: &Request, base: &View) -> Request {
    match req.precision {
        None => req.clone(),
        Some(_) => Request {
            draws: base.spec.draws,
            precision: Some(0.0),
            ..req.clone()
        },
    }
}
