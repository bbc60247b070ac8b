//! The module map (issue 11): every top-level module of `src/` imports only
//! modules before it, so the graph of `crate::x` references between them
//! (test modules included) has no cycle.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The top-level module of a file of `src/`.
fn module_of(path: &Path, src: &Path) -> String {
    let rel = path.strip_prefix(src).unwrap();
    let first = rel
        .components()
        .next()
        .unwrap()
        .as_os_str()
        .to_string_lossy();
    first.trim_end_matches(".rs").to_owned()
}

fn files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Module -> the other top-level modules its files name as `crate::x`.
fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut all = Vec::new();
    files(&src, &mut all);
    let modules: BTreeSet<String> = all
        .iter()
        .map(|p| module_of(p, &src))
        .filter(|m| m != "lib")
        .collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for path in &all {
        let from = module_of(path, &src);
        if from == "lib" {
            continue;
        }
        let text = std::fs::read_to_string(path).unwrap();
        let edges = graph.entry(from.clone()).or_default();
        for (i, _) in text.match_indices("crate::") {
            let rest = &text[i + "crate::".len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if name != from && modules.contains(&name) {
                edges.insert(name);
            }
        }
    }
    graph
}

#[test]
fn modules_depend_on_each_other_in_one_direction() {
    let graph = graph();
    // Kahn's algorithm: a module with no remaining imports comes next.
    let mut left = graph.clone();
    let mut order = Vec::new();
    while !left.is_empty() {
        let ready: Vec<String> = left
            .iter()
            .filter(|(_, deps)| deps.iter().all(|d| !left.contains_key(d)))
            .map(|(m, _)| m.clone())
            .collect();
        assert!(
            !ready.is_empty(),
            "the modules {:?} import each other in a circle",
            left
        );
        for m in ready {
            left.remove(&m);
            order.push(m);
        }
    }
    eprintln!("module order: {}", order.join(" -> "));
}

#[test]
fn painters_share_the_plan_and_exports_do_not_reach_into_render() {
    let graph = graph();
    for painter in ["render", "export", "frame"] {
        assert!(graph[painter].contains("plan"), "{painter} paints the plan");
    }
    assert!(!graph["export"].contains("render"), "export imports render");
    assert!(
        !graph["template"].contains("job"),
        "templates know no SparkRTC words"
    );
    assert!(
        !graph["room"].contains("layout"),
        "the room knows nothing of layouts"
    );
}
