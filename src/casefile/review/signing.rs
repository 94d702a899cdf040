//! SSH signatures over a review's record (the `sshsig` format of
//! OpenSSH, namespace `auditview-review`): anyone can check them with
//! `ssh-keygen -Y verify` and an allowed-signers file, without auditview.

use std::io::Read;
use std::path::{Path, PathBuf};

use ssh_key::{HashAlg, LineEnding, PrivateKey, PublicKey, SshSig};

use super::Signature;
use crate::model::SignatureMeaning;
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
    #[error("the signature of {name} is not valid over the record: {reason}")]
    Invalid { name: String, reason: String },
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
        Ok(Signer { key })
    }

    /// Signs `record` for `name`, meaning `meaning`, now.
    pub fn sign(
        &self,
        record: &[u8],
        name: &str,
        meaning: SignatureMeaning,
    ) -> Result<Signature, SignError> {
        let sshsig = self
            .key
            .sign(NAMESPACE, HashAlg::Sha512, record)
            .and_then(|s| s.to_pem(LineEnding::LF))
            .map_err(|e| SignError::Signing(e.to_string()))?;
        let public = self.key.public_key();
        Ok(Signature {
            name: name.to_string(),
            meaning,
            at: crate::time::format_utc(chrono::Utc::now().timestamp_millis()),
            public_key: public
                .to_openssh()
                .map_err(|e| SignError::Signing(e.to_string()))?,
            fingerprint: public.fingerprint(HashAlg::Sha256).to_string(),
            sshsig,
        })
    }
}

/// Checks a signature over `record`: the sshsig is valid, in the review
/// namespace, and made by the key the signature names.
pub fn verify(signature: &Signature, record: &[u8]) -> Result<(), SignError> {
    let invalid = |reason: String| SignError::Invalid {
        name: signature.name.clone(),
        reason,
    };
    let sshsig =
        SshSig::from_pem(signature.sshsig.as_bytes()).map_err(|e| invalid(e.to_string()))?;
    let named =
        PublicKey::from_openssh(&signature.public_key).map_err(|e| invalid(e.to_string()))?;
    if named.key_data() != sshsig.public_key() {
        return Err(invalid(
            "it was made by another key than the one named".to_string(),
        ));
    }
    named
        .verify(NAMESPACE, record, &sshsig)
        .map_err(|e| invalid(e.to_string()))
}

/// The principals an allowed-signers file (`ssh-keygen -Y verify -f`) lists
/// for `public_key` in the review namespace; empty when it lists none.
pub fn allowed_principal(path: &Path, public_key: &str) -> Result<Vec<String>, SignError> {
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
    let options = rest[..key_at].join(" ");
    if options.contains("cert-authority") {
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

#[cfg(test)]
mod tests {
    use super::*;

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
