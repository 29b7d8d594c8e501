//! Loading a config: reading files within limits, following `extends`, and
//! resolving the tree with the reader.

use super::*;

/// Reads a text file of at most [`MAX_CONFIG_BYTES`]: a regular file only (a device
/// such as `/dev/zero` never ends), and the limit applies to the bytes actually
/// read, not to what the file's metadata claims.
pub fn read_limited(path: &Path) -> Result<String, String> {
    use std::io::Read;
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if meta.is_dir() {
        return Err("it is a folder, not a file".into());
    }
    if !meta.is_file() {
        return Err("not a regular file (a device, pipe or socket)".into());
    }
    let mut buf = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_CONFIG_BYTES as u64 + 1).read_to_end(&mut buf))
        .map_err(|e| e.to_string())?;
    if buf.len() > MAX_CONFIG_BYTES {
        return Err(format!(
            "over {MAX_CONFIG_BYTES} bytes; the limit is {MAX_CONFIG_BYTES} bytes"
        ));
    }
    String::from_utf8(buf).map_err(|_| "not UTF-8 text".to_string())
}

impl Config {
    /// The built-in default config.
    pub fn builtin() -> Config {
        // The built-in text is tested to load, so failure here is a build defect.
        Config::from_str(BUILTIN_TOML, BUILTIN_ORIGIN).expect("built-in config is valid")
    }

    /// Reads a config file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        Config::load_with(path, &[])
    }

    /// Reads a config file with `preset` values put into its tree before it is
    /// resolved (for settings that decide whether the file reads at all, such as
    /// how to treat missing forecaster returns).
    pub fn load_with(path: &Path, preset: &[(&str, Value)]) -> Result<Config, ConfigError> {
        let origin = path.display().to_string();
        let text = read_limited(path).map_err(|e| {
            let headline = if e.starts_with("over ") {
                "config too large"
            } else {
                "cannot read config"
            };
            ConfigError::single(&origin, headline, e)
        })?;
        Config::from_str_with(&text, &origin, preset)
    }

    /// Reads the built-in config, or the file at `path` when given.
    pub fn load_or_builtin(path: Option<&Path>) -> Result<Config, ConfigError> {
        match path {
            Some(p) => Config::load(p),
            None => Ok(Config::builtin()),
        }
    }

    /// Parses and resolves config text; `origin` names it in messages.
    #[allow(clippy::should_implement_trait)]
    pub fn from_str(text: &str, origin: &str) -> Result<Config, ConfigError> {
        Config::from_str_with(text, origin, &[])
    }

    /// [`Config::from_str`] with `preset` values (dotted paths) put into the tree first.
    pub fn from_str_with(
        text: &str,
        origin: &str,
        preset: &[(&str, Value)],
    ) -> Result<Config, ConfigError> {
        if text.len() > MAX_CONFIG_BYTES {
            return Err(ConfigError::single(
                origin,
                "config too large",
                format!(
                    "{} bytes; the limit is {MAX_CONFIG_BYTES} bytes",
                    text.len()
                ),
            ));
        }
        let tree = parse_toml(text, origin)?;
        let (mut tree, files) = resolve_extends(tree, origin, text, 0)?;
        let parents: String = files.iter().rev().map(|(_, t)| format!("{t}\0")).collect();
        let mut applied = vec![];
        for (path, v) in preset {
            // Only into sections the file has: a preset does not create them.
            let top = path.split('.').next().unwrap_or("");
            if tree.contains_key(top) {
                overrides::set(&mut tree, path, v.clone());
                applied.push(format!("{path}={v}"));
            }
        }
        let mut chain = vec![(origin.to_string(), text.to_string())];
        chain.extend(files);
        let mut c = Config::from_tree_in(tree, &chain)?;
        c.overrides = applied;
        // The hash must change when a file it extends does.
        c.source = format!("{parents}{}", c.source);
        Ok(c)
    }

    /// Resolves an already parsed tree (after overrides, for instance).
    pub fn from_tree(tree: Table, text: &str, origin: &str) -> Result<Config, ConfigError> {
        Config::from_tree_in(tree, &[(origin.to_string(), text.to_string())])
    }

    /// [`Config::from_tree`] for a tree merged from a chain of files (the config
    /// first, then each file it `extends`): a problem is located in the first file
    /// of the chain that sets its key.
    pub(super) fn from_tree_in(
        tree: Table,
        chain: &[(String, String)],
    ) -> Result<Config, ConfigError> {
        let (origin, text) = (&chain[0].0, &chain[0].1);
        let mut r = Reader::default();
        let cfg = r.config(&tree, text, origin);
        match cfg {
            Some(mut c) if r.problems.is_empty() && r.returns.is_empty() => {
                c.source.push_str(&r.extra_source);
                Ok(c)
            }
            _ => Err(ConfigError::new_in(chain, r.problems).with_returns(r.returns)),
        }
    }
}

/// Deepest chain of `extends` followed.
pub(super) const MAX_EXTENDS: usize = 4;

pub(super) fn parse_toml(text: &str, origin: &str) -> Result<Table, ConfigError> {
    text.parse::<Table>()
        .map_err(|e| ConfigError::syntax(origin, text, &e))
}

/// Follows `extends = "OTHER.toml"`: the other file's tree, with this one's keys
/// merged over it (tables merged key by key, other values replaced). Returns the
/// merged tree and the files extended, nearest first, as (origin, text). Problems
/// are located: in this file at its `extends` key, or in the extended file.
pub(super) fn resolve_extends(
    mut tree: Table,
    origin: &str,
    text: &str,
    depth: usize,
) -> Result<(Table, Vec<(String, String)>), ConfigError> {
    let Some(v) = tree.remove("extends") else {
        return Ok((tree, vec![]));
    };
    let at_extends = |detail: String| {
        ConfigError::new(
            origin,
            text,
            vec![Problem::new(
                vec!["extends".into()],
                "cannot read the config it extends",
                detail,
            )],
        )
    };
    let Value::String(rel) = v else {
        return Err(at_extends(format!(
            "`extends` must be a path string, found {}",
            type_name(&v)
        )));
    };
    if depth >= MAX_EXTENDS {
        return Err(at_extends(format!(
            "more than {MAX_EXTENDS} levels of `extends` (a cycle?)"
        )));
    }
    let path = base_dir(origin).join(&rel);
    let shown = path.display().to_string();
    let parent_text = read_limited(&path).map_err(|e| at_extends(format!("{shown}: {e}")))?;
    let parent = parse_toml(&parent_text, &shown)?;
    let (mut parent, mut files) = resolve_extends(parent, &shown, &parent_text, depth + 1)?;
    merge_into(&mut parent, tree);
    files.insert(0, (shown, parent_text));
    Ok((parent, files))
}

pub(super) fn merge_into(base: &mut Table, over: Table) {
    for (k, v) in over {
        match (base.get_mut(&k), v) {
            (Some(Value::Table(b)), Value::Table(o)) => merge_into(b, o),
            (_, v) => {
                base.insert(k, v);
            }
        }
    }
}

/// The folder relative paths in a config are read from.
pub(super) fn base_dir(origin: &str) -> std::path::PathBuf {
    if origin.starts_with('<') {
        return ".".into();
    }
    match Path::new(origin).parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => ".".into(),
    }
}
