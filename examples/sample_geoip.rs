//! Writes the sample case's GeoIP databases (`assets/samples/geoip/`): the
//! documentation ranges mapped to known places, as the tests build them.
//! `cargo run --example sample_geoip` rewrites them byte for byte.

#![allow(
    clippy::unwrap_used,
    clippy::disallowed_methods,
    reason = "a developer tool that writes the sample databases"
)]

#[path = "../tests/support/geoip.rs"]
mod geoip;

fn main() -> std::io::Result<()> {
    let folder = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/samples/geoip");
    std::fs::create_dir_all(&folder)?;
    for (name, bytes) in [
        ("auditview-sample-City.mmdb", geoip::city_database()),
        ("auditview-sample-ASN.mmdb", geoip::asn_database()),
    ] {
        let path = folder.join(name);
        std::fs::write(&path, bytes)?;
        println!("wrote {}", path.display());
    }
    Ok(())
}
