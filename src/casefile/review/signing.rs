//! SSH signatures over a review's record (the `sshsig` format of
//! OpenSSH, namespace `auditview-review`): anyone can check them with
//! `ssh-keygen -Y verify` and an allowed-signers file, without auditview.

use std::io::Read;
use std::path::{Path, PathBuf};

use ssh_key::{HashAlg, LineEnding, PrivateKey, PublicKey, SshSig};

use crate::model::owned::{OwnedKind, register};

/// The signature namespace: a signature made for a review cannot be
/// passed off as one over anything else (`ssh-keygen -Y verify -n`).
pub const NAMESPACE: &str = "auditview-review";

/// A key or allowed-signers file larger than this is not one.
const MAX_KEY_FILE_BYTES: u64 = 1 << 20;

#[derive(Debug, thiserror::Error)]
pub enum SignError {
    #[error("{}: {reason}", .path.display())]
    KeyFile { path: PathBuf, reason: String },
    #[error(
        "{}: the key is protected by a passphrase; sign with a key without one, kept where only you can read it, or with a copy decrypted for the signing (`ssh-keygen -p`)",
        .0.display()
    )]
    Encrypted(PathBuf),
    #[error("the signature cannot be made: {0}")]
    Signing(String),
}

/// A private key read for signing (never written, never kept).
pub struct Signer {
    key: PrivateKey,
}

impl Signer {
    /// Reads an OpenSSH private key (`ssh-keygen -t ed25519`).
    pub fn from_file(path: &Path) -> Result<Signer, SignError> {
        register(path, OwnedKind::SigningKey);
        let text = read_small(path)?;
        let key = PrivateKey::from_openssh(text.trim()).map_err(|e| SignError::KeyFile {
            path: path.to_path_buf(),
            reason: format!("not an OpenSSH private key ({e})"),
        })?;
        if key.is_encrypted() {
            return Err(SignError::Encrypted(path.to_path_buf()));
        }
        if key.algorithm() != ssh_key::Algorithm::Ed25519 {
            return Err(SignError::KeyFile {
                path: path.to_path_buf(),
                reason: format!(
                    "a {} key: reviews are signed with Ed25519 keys (`ssh-keygen -t ed25519`)",
                    key.algorithm()
                ),
            });
        }
        Ok(Signer { key })
    }

    /// Signs `statement`: the signing key (as an allowed-signers file
    /// lists it) and the armored sshsig.
    pub fn sign(&self, statement: &[u8]) -> Result<(String, String), SignError> {
        let sshsig = self
            .key
            .sign(NAMESPACE, HashAlg::Sha512, statement)
            .and_then(|s| s.to_pem(LineEnding::LF))
            .map_err(|e| SignError::Signing(e.to_string()))?;
        let public_key = self
            .key
            .public_key()
            .to_openssh()
            .map_err(|e| SignError::Signing(e.to_string()))?;
        Ok((public_key, sshsig))
    }

    /// The key's SHA-256 fingerprint, as `ssh-keygen -l` shows it.
    pub fn fingerprint(&self) -> String {
        self.key
            .public_key()
            .fingerprint(HashAlg::Sha256)
            .to_string()
    }
}

/// The SHA-256 fingerprint of a public key in OpenSSH form ("" if none).
pub fn fingerprint(public_key: &str) -> String {
    PublicKey::from_openssh(public_key)
        .map(|k| k.fingerprint(HashAlg::Sha256).to_string())
        .unwrap_or_default()
}

/// Checks an sshsig over `message`: valid, in the review namespace, and
/// made by `public_key`. The reason when not.
pub fn verify(message: &[u8], public_key: &str, sshsig: &str) -> Result<(), String> {
    let sshsig = SshSig::from_pem(sshsig.as_bytes()).map_err(|e| e.to_string())?;
    let named = PublicKey::from_openssh(public_key).map_err(|e| e.to_string())?;
    if named.key_data() != sshsig.public_key() {
        return Err("it was made by another key than the one named".to_string());
    }
    named
        .verify(NAMESPACE, message, &sshsig)
        .map_err(|e| e.to_string())
}

/// The principals an allowed-signers file (`ssh-keygen -Y verify -f`) lists
/// for `public_key` in the review namespace; empty when it lists none.
pub fn allowed_principals(path: &Path, public_key: &str) -> Result<Vec<String>, SignError> {
    register(path, OwnedKind::AllowedSigners);
    let text = read_small(path)?;
    let Ok(wanted) = PublicKey::from_openssh(public_key) else {
        return Ok(Vec::new());
    };
    Ok(text
        .lines()
        .filter_map(allowed_line)
        .filter(|(_, key)| key.key_data() == wanted.key_data())
        .flat_map(|(principals, _)| principals)
        .collect())
}

/// One line of an allowed-signers file: `principals [options] type key`.
/// Lines for certificate authorities or other namespaces give nothing.
fn allowed_line(line: &str) -> Option<(Vec<String>, PublicKey)> {
    let line = line.trim();
    if line.is_empty() || line.starts_with('#') {
        return None;
    }
    let mut words = line.split_whitespace();
    let principals: Vec<String> = words.next()?.split(',').map(str::to_string).collect();
    let rest: Vec<&str> = words.collect();
    let key_at = rest
        .iter()
        .position(|w| w.starts_with("ssh-") || w.starts_with("ecdsa-") || w.starts_with("sk-"))?;
    let options = rest[..key_at].join(" ").to_ascii_lowercase();
    // Certificate authorities and keys valid only for a time are not
    // evaluated here: such a line lists no key (fail closed; ssh-keygen
    // -Y verify checks them).
    if ["cert-authority", "valid-after", "valid-before"]
        .iter()
        .any(|o| options.contains(o))
    {
        return None;
    }
    if let Some(start) = options.find("namespaces=\"") {
        let list = &options[start + "namespaces=\"".len()..];
        let list = &list[..list.find('"').unwrap_or(list.len())];
        if !list.split(',').any(|n| n == NAMESPACE) {
            return None;
        }
    }
    let key =
        PublicKey::from_openssh(&format!("{} {}", rest[key_at], rest.get(key_at + 1)?)).ok()?;
    Some((principals, key))
}

fn read_small(path: &Path) -> Result<String, SignError> {
    let cannot = |reason: String| SignError::KeyFile {
        path: path.to_path_buf(),
        reason,
    };
    let file =
        crate::hash::open_read_only(path).map_err(|e| cannot(crate::display::describe_io(&e)))?;
    let mut text = String::new();
    file.take(MAX_KEY_FILE_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(|e| cannot(crate::display::describe_io(&e)))?;
    if text.len() as u64 > MAX_KEY_FILE_BYTES {
        return Err(cannot("larger than 1 MB: not a key file".to_string()));
    }
    Ok(text)
}

/// A signer from a fixed seed, for tests.
#[cfg(test)]
pub(super) fn test_signer(seed: u8) -> Signer {
    let pair = ssh_key::private::Ed25519Keypair::from_seed(&[seed; 32]);
    Signer {
        key: PrivateKey::new(ssh_key::private::KeypairData::from(pair), "test")
            .unwrap_or_else(|e| panic!("a test key: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_holds_for_its_statement_and_its_own_key_only() {
        let signer = test_signer(7);
        let (public, sshsig) = signer.sign(b"statement\n").unwrap();
        assert_eq!(verify(b"statement\n", &public, &sshsig), Ok(()));
        assert!(verify(b"statement!\n", &public, &sshsig).is_err());
        let (other, _) = test_signer(8).sign(b"x").unwrap();
        assert!(
            verify(b"statement\n", &other, &sshsig)
                .unwrap_err()
                .contains("another key")
        );
        assert_eq!(fingerprint(&public), signer.fingerprint());
        assert!(fingerprint(&public).starts_with("SHA256:"));
    }

    #[test]
    fn an_allowed_signers_line_gives_its_principals_unless_for_another_namespace() {
        let key =
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl";
        let (who, _) = allowed_line(&format!("alice@example.org,alice {key} laptop")).unwrap();
        assert_eq!(who, ["alice@example.org", "alice"]);
        assert!(allowed_line(&format!("bob namespaces=\"git,auditview-review\" {key}")).is_some());
        assert!(allowed_line(&format!("bob namespaces=\"git\" {key}")).is_none());
        assert!(allowed_line(&format!("ca cert-authority {key}")).is_none());
        assert!(allowed_line("# a comment").is_none());
        assert!(allowed_line("carol ssh-ed25519 not-base64").is_none());
    }
}
