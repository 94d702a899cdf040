//! Decisions on identities from the People view: kept with the open case
//! (in its case file when there is one, each in the action log), then the
//! persons are decided again in the background.

use crate::index::people::Decision;

use super::AuditApp;

impl AuditApp {
    /// Proposes and applies the session's decisions in the background.
    pub(super) fn identify(&mut self) {
        let (Some(session), Some(ctx)) = (&self.session, &self.ctx) else {
            return;
        };
        let ctx = ctx.clone();
        let job = self
            .jobs
            .identify(&ctx, session.case.clone(), session.aliases.clone());
        self.in_flight.identifying = Some(job);
    }

    pub(super) fn decide_link(&mut self, a: &str, b: &str, accept: bool) {
        let Some(session) = &mut self.session else {
            return;
        };
        if accept {
            session.aliases.accept(a, b);
        } else {
            session.aliases.reject(a, b);
        }
        let what = format!("{} {a} = {b}", if accept { "accepted" } else { "rejected" });
        self.save_aliases(&what);
        self.identify();
    }

    pub(super) fn accept_all_proposals(&mut self) {
        let Some(session) = &mut self.session else {
            return;
        };
        let people = session.case.people();
        let open: Vec<(String, String)> = people
            .proposals
            .iter()
            .filter(|p| p.decision == Decision::Proposed)
            .map(|p| (p.proposal.a.clone(), p.proposal.b.clone()))
            .collect();
        for (a, b) in &open {
            session.aliases.accept(a, b);
        }
        self.save_aliases(&format!("accepted {} proposed links", open.len()));
        self.identify();
    }

    /// Writes the decisions into the open case file, if any.
    fn save_aliases(&mut self, what: &str) {
        let (Some(file), Some(session)) = (self.case.as_mut().map(|c| &mut c.file), &self.session)
        else {
            return;
        };
        if let Err(e) = file.set_aliases(&session.aliases, what) {
            self.notify_error(format!("The case could not keep the decision: {e}"));
        }
    }
}
