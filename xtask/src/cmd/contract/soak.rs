//! `cargo xtask contract --soak SECONDS`: wrk at 256 connections for the
//! real clients while a crowd of slowloris sockets (a byte every half
//! second, reconnecting when the server closes them) sits beside them.
//! Passes when the real clients get no error and no non-2xx; prints the
//! server's RSS before and after, and how often the server closed a slow
//! socket (its header timer at work).

use std::io::Write;
use std::net::TcpStream;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use super::Server;

/// Slow sockets beside the real clients.
const CROWD: usize = 200;

pub fn soak(server: &Server, seconds: u32) -> Result<bool, String> {
    let address = server.url.trim_start_matches("http://").to_owned();
    let rss_before = server.rss_kib();
    let stop = Arc::new(AtomicBool::new(false));
    let closed = Arc::new(AtomicUsize::new(0));
    let crowd: Vec<_> = (0..4)
        .map(|_| {
            let (address, stop, closed) = (address.clone(), stop.clone(), closed.clone());
            std::thread::spawn(move || slowloris(&address, CROWD / 4, &stop, &closed))
        })
        .collect();
    let output = super::wrk_on_alices_page(server, seconds);
    stop.store(true, Ordering::Relaxed);
    for thread in crowd {
        let _ = thread.join();
    }
    // The crowd is stopped first, whether wrk ran or not.
    let output = output?;
    let report = String::from_utf8_lossy(&output.stdout);
    print!("{report}");
    println!(
        "slowloris crowd: {CROWD} sockets, closed by the server {} times; server RSS: {} KiB before, {} KiB after",
        closed.load(Ordering::Relaxed),
        rss_before.unwrap_or(0),
        server.rss_kib().unwrap_or(0)
    );
    let errors = report.lines().any(|l| l.contains("Non-2xx or 3xx responses") || l.contains("Socket errors"));
    Ok(output.status.success() && !errors)
}

/// `count` sockets that send a request head a byte at a time, forever.
fn slowloris(address: &str, count: usize, stop: &AtomicBool, closed: &AtomicUsize) {
    let connect = || TcpStream::connect(address).ok();
    let mut sockets: Vec<Option<TcpStream>> = (0..count).map(|_| connect()).collect();
    let head = b"GET /api/v2/chat/ambassadors/1/chatrooms HTTP/1.1\r\nHost: soak\r\nX-Slow: ";
    let mut sent = 0usize;
    while !stop.load(Ordering::Relaxed) {
        for socket in &mut sockets {
            let byte = head.get(sent).copied().unwrap_or(b'a');
            let alive = socket.as_mut().is_some_and(|s| s.write_all(&[byte]).is_ok());
            if !alive {
                closed.fetch_add(1, Ordering::Relaxed);
                *socket = connect();
            }
        }
        sent += 1;
        std::thread::sleep(Duration::from_millis(500));
    }
}
