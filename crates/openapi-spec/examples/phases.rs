fn main() {
    let path = std::env::args().nth(1).unwrap();
    let path2 = std::env::args().nth(2).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let text2 = std::fs::read_to_string(&path2).unwrap();
    for _ in 0..3 {
        let t = std::time::Instant::now();
        let (json, _map) = openapi_spec::source::parse(&text).unwrap();
        let t1 = t.elapsed();
        let spec = openapi_spec::Spec::parse("x", &text).unwrap();
        let t2 = t.elapsed();
        let o: openapiv3::OpenAPI = serde_json::from_value(json.clone()).unwrap();
        let t3 = t.elapsed();
        let spec2 = openapi_spec::Spec::parse("x", &text2).unwrap();
        let t4 = t.elapsed();
        let changes = openapi_compat::diff(&spec, &spec2);
        let t5 = t.elapsed();
        drop((o, json, _map));
        eprintln!("source {:?} spec {:?} openapiv3 {:?} diff {:?} ({})", t1, t2 - t1, t3 - t2, t5 - t4, changes.len());
    }
}
