//! Facts about the machine and the toolchain, for the report.

use std::path::Path;
use std::process::Command;

pub struct Machine {
    pub cpu: String,
    pub cores: usize,
    pub ram_gib: f64,
    pub kernel: String,
    pub rustc: String,
    pub node: String,
    pub date: String,
    pub commit: String,
}

fn output(program: &str, args: &[&str], dir: &Path) -> Option<String> {
    let out = Command::new(program).args(args).current_dir(dir).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// The first `model name` of `/proc/cpuinfo`.
pub fn cpu_model(cpuinfo: &str) -> Option<String> {
    cpuinfo.lines().find_map(|l| {
        let (key, value) = l.split_once(':')?;
        (key.trim() == "model name").then(|| value.trim().to_owned())
    })
}

/// `MemTotal` of `/proc/meminfo`, in GiB.
pub fn mem_total_gib(meminfo: &str) -> Option<f64> {
    let line = meminfo.lines().find(|l| l.starts_with("MemTotal:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0 / 1024.0)
}

pub fn collect(root: &Path) -> Machine {
    let read = |p: &str| std::fs::read_to_string(p).unwrap_or_default();
    let commit = output("git", &["rev-parse", "--short", "HEAD"], root).unwrap_or_else(|| "unknown".into());
    // The report itself does not count: it is rewritten by every run.
    let dirty = output("git", &["status", "--porcelain", "--", ".", ":!BENCHMARKS.md"], root).is_some_and(|s| !s.is_empty());
    Machine {
        cpu: cpu_model(&read("/proc/cpuinfo")).unwrap_or_else(|| "unknown".into()),
        cores: std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
        ram_gib: mem_total_gib(&read("/proc/meminfo")).unwrap_or(0.0),
        kernel: read("/proc/sys/kernel/osrelease").trim().to_owned(),
        rustc: output("rustc", &["--version"], root).unwrap_or_else(|| "unknown".into()),
        node: output("node", &["--version"], root).unwrap_or_else(|| "not installed".into()),
        date: chrono::Utc::now().format("%Y-%m-%d %H:%M UTC").to_string(),
        commit: if dirty { format!("{commit} (with uncommitted changes)") } else { commit },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_proc_files() {
        let cpuinfo = "processor\t: 0\nvendor_id\t: AuthenticAMD\nmodel name\t: AMD EPYC 7B13\nprocessor\t: 1\nmodel name\t: AMD EPYC 7B13\n";
        assert_eq!(cpu_model(cpuinfo).as_deref(), Some("AMD EPYC 7B13"));
        assert_eq!(cpu_model(""), None);
        let meminfo = "MemTotal:       24576000 kB\nMemFree:        1000 kB\n";
        assert!((mem_total_gib(meminfo).unwrap() - 23.4375).abs() < 1e-9);
    }
}
