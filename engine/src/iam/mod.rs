//! Access control: identities (IAM users and roles, each with access keys and inline
//! identity-based policies) and the evaluation of a request against their policies and the
//! table's or stream's resource-based policy, as IAM does for a request inside one account.
//!
//! Identities are workspace state, managed by PlaygroundPutIdentity,
//! PlaygroundListIdentities and PlaygroundDeleteIdentity. A request is sent as an identity
//! by its access key ([`Engine::act_as`]; the server takes the key of the request's SigV4
//! signature). A request sent as no identity — every request while there are none, and the
//! page's own until a learner picks one — is the account's root user's, which IAM never
//! restricts: everything is allowed, as before identities existed.
//!
//! What is not modelled: groups, managed policies, permissions boundaries, SCPs and session
//! policies; cross-account requests (the playground has one account); `NotPrincipal`; the
//! global condition keys beyond the principal's own (`aws:username`, `aws:userid`,
//! `aws:PrincipalArn`, `aws:PrincipalAccount`, `aws:PrincipalType`) and a role session's
//! `SessionContext` (web identity federation's `www.amazon.com:user_id`, …). Playground
//! operations are not authorized (they are the playground's controls, not DynamoDB's API).

mod context;
pub(crate) mod evaluate;
pub(crate) mod policy;

use std::any::Any;
use std::sync::Arc;

use serde_json::{json, Map, Value};

use crate::engine::Engine;
use crate::error::{ApiError, ApiResult, ErrorKind};
use evaluate::{Check, Outcome, Principal};
use policy::Policy;

/// An IAM user, or a role with one session (its access keys are the session's).
#[derive(Clone, Debug)]
pub(crate) struct Identity {
    pub name: String,
    pub role: bool,
    pub session_name: String,
    /// (AccessKeyId, SecretAccessKey).
    pub access_keys: Vec<(String, String)>,
    /// (PolicyName, PolicyDocument): checked when put, read again for each request sent as
    /// the identity — plain text keeps the engine's state (its clone and drop) as small as
    /// the page's first load needs it.
    pub policies: Vec<(String, String)>,
    /// The same policies as IAM reads them, parsed once when the identity is put.
    pub parsed: Parsed,
    /// Values of further condition keys and policy variables for this identity's requests.
    pub session_context: Vec<(String, String)>,
}

/// An identity's policies as IAM reads them, kept so that a request sent as the identity reads
/// no JSON (that halves what evaluating it costs). Held as `dyn Any`, as the backups' state is:
/// only PlaygroundPutIdentity makes one, so the page's first load, which has no identities,
/// carries no code to clone or drop a parsed policy.
#[derive(Clone)]
pub(crate) struct Parsed(Arc<dyn Any + Send + Sync>);

impl Parsed {
    pub fn new(policies: Vec<(String, Policy)>) -> Self {
        Parsed(Arc::new(policies))
    }

    /// (PolicyName, policy), in the order they were put.
    fn policies(&self) -> &[(String, Policy)] {
        self.0.downcast_ref::<Vec<(String, Policy)>>().map_or(&[], Vec::as_slice)
    }
}

impl std::fmt::Debug for Parsed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.policies().iter().map(|(name, _)| name)).finish()
    }
}

impl Identity {
    /// The principal IAM names in a denial: the user, or the role's session.
    pub fn arn(&self, account: &str) -> String {
        match self.role {
            false => format!("arn:aws:iam::{account}:user/{}", self.name),
            true => format!("arn:aws:sts::{account}:assumed-role/{}/{}", self.name, self.session_name),
        }
    }

    /// `aws:userid`: a unique id (deterministic here), and for a role session the session name.
    fn user_id(&self) -> String {
        let id: String =
            self.name.chars().filter(char::is_ascii_alphanumeric).collect::<String>().to_ascii_uppercase();
        match self.role {
            false => format!("AIDA{id}"),
            true => format!("AROA{id}:{}", self.session_name),
        }
    }

    /// The principal with its global condition keys.
    fn principal(&self, account: &str) -> Principal<'_> {
        let role_arn = self.role.then(|| format!("arn:aws:iam::{account}:role/{}", self.name));
        let mut keys: Vec<(&str, String)> = vec![
            ("aws:userid", self.user_id()),
            ("aws:PrincipalArn", role_arn.clone().unwrap_or_else(|| self.arn(account))),
            ("aws:PrincipalAccount", account.to_owned()),
            ("aws:PrincipalType", if self.role { "AssumedRole" } else { "User" }.to_owned()),
        ];
        if !self.role {
            keys.push(("aws:username", self.name.clone()));
        }
        keys.extend(self.session_context.iter().map(|(k, v)| (k.as_str(), v.clone())));
        Principal { arn: self.arn(account), role_arn, keys }
    }

    /// The identity as PlaygroundListIdentities describes it — and as the PlaygroundPutIdentity
    /// request that makes it again (a workspace document keeps it so).
    pub fn describe(&self, account: &str) -> Value {
        let mut d = Map::new();
        d.insert("IdentityName".into(), json!(self.name));
        d.insert("IdentityType".into(), json!(if self.role { "ROLE" } else { "USER" }));
        d.insert("Arn".into(), json!(self.arn(account)));
        if self.role {
            d.insert("RoleSessionName".into(), json!(self.session_name));
        }
        let keys: Vec<Value> = self
            .access_keys
            .iter()
            .map(|(id, secret)| json!({"AccessKeyId": id, "SecretAccessKey": secret}))
            .collect();
        d.insert("AccessKeys".into(), Value::from(keys));
        let policies: Vec<Value> =
            self.policies.iter().map(|(n, doc)| json!({"PolicyName": n, "PolicyDocument": doc})).collect();
        d.insert("Policies".into(), Value::from(policies));
        if !self.session_context.is_empty() {
            let context: Map<String, Value> =
                self.session_context.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
            d.insert("SessionContext".into(), Value::Object(context));
        }
        Value::Object(d)
    }
}

/// The identities (workspace state) and who the next requests are sent as (session state).
#[derive(Clone, Debug, Default)]
pub(crate) struct Iam {
    pub identities: Vec<Identity>,
    /// The access key requests are sent as; `None`: the account's root user.
    pub caller: Option<String>,
}

impl Iam {
    pub fn by_key(&self, access_key: &str) -> Option<&Identity> {
        self.identities.iter().find(|i| i.access_keys.iter().any(|(id, _)| id == access_key))
    }

    pub fn by_name(&self, name: &str) -> Option<usize> {
        self.identities.iter().position(|i| i.name == name)
    }
}

impl Engine {
    /// Sends the next requests as the identity with this access key (`None`: as the
    /// account's root user, whom nothing restricts). A key no identity has is the root
    /// user's too. Answers whether the key names an identity.
    pub fn act_as(&mut self, access_key_id: Option<&str>) -> bool {
        self.iam.caller = access_key_id.map(str::to_owned);
        access_key_id.is_some_and(|key| self.iam.by_key(key).is_some())
    }

    /// The access key requests are sent as, if any ([`Engine::act_as`]).
    pub fn acting_as(&self) -> Option<&str> {
        self.iam.caller.as_deref()
    }

    /// The principal requests are sent as — the identity's user or role session ARN — or
    /// `None` for the account's root user (no key, or one no identity has): what the page's
    /// console shows beside the request.
    pub fn acting_as_arn(&self) -> Option<String> {
        let identity = self.iam.by_key(self.iam.caller.as_deref()?)?;
        Some(identity.arn(&self.config.account_id))
    }

    /// Whether there are identities: until there are, no request is checked, whoever sends it.
    pub fn has_identities(&self) -> bool {
        !self.iam.identities.is_empty()
    }

    /// The secret of an identity's access key: what a host verifies a request's signature
    /// with. `None` when no identity has the key.
    pub fn access_key_secret(&self, access_key_id: &str) -> Option<&str> {
        if self.iam.identities.is_empty() {
            return None;
        }
        let identity = self.iam.by_key(access_key_id)?;
        identity.access_keys.iter().find(|(id, _)| id == access_key_id).map(|(_, secret)| secret.as_str())
    }
}

/// Refuses the request with DynamoDB's AccessDeniedException unless the identity it is sent
/// as may make it. Called only while requests are sent as someone (`caller`).
pub(crate) fn authorize(engine: &Engine, operation: &str, request: &Value) -> ApiResult<()> {
    let Some(identity) = engine.iam.caller.as_deref().and_then(|key| engine.iam.by_key(key)) else {
        return Ok(());
    };
    if engine.replaying {
        return Ok(());
    }
    for check in context::checks(engine, operation, request) {
        if let Some(denial) = decide(engine, identity, &check).1 {
            return Err(denial);
        }
    }
    Ok(())
}

/// How IAM decides `operation` with `request` sent as `identity`, in IAM's policy simulator's
/// words, and the denial the request would get (if any).
pub(crate) fn explain(
    engine: &Engine,
    identity: &Identity,
    operation: &str,
    request: &Value,
) -> (Value, Option<ApiError>) {
    let mut results = Vec::new();
    let mut first_denial = None;
    for check in context::checks(engine, operation, request) {
        let (outcome, denial) = decide(engine, identity, &check);
        let (decision, source) = match &outcome {
            Outcome::Allowed(s) => ("allowed", Some(s)),
            Outcome::ExplicitDeny(s) => ("explicitDeny", Some(s)),
            Outcome::ImplicitDeny => ("implicitDeny", None),
        };
        let matched: Vec<Value> = source
            .map(|s| {
                let mut m = json!({
                    "SourcePolicyId": s.policy.clone().unwrap_or_else(|| "resource-based policy".into()),
                    "SourcePolicyType": if s.resource_based() { "Resource Policy" } else { "IAM Policy" },
                    "StatementIndex": s.statement,
                });
                if let Some(sid) = &s.sid {
                    m["Sid"] = json!(sid);
                }
                m
            })
            .into_iter()
            .collect();
        let keys: Map<String, Value> = check.keys.iter().map(|(k, v)| ((*k).to_owned(), json!(v))).collect();
        results.push(json!({
            "EvalActionName": check.action,
            "EvalResourceName": check.resource,
            "EvalDecision": decision,
            "MatchedStatements": matched,
            "ContextKeys": keys,
        }));
        if first_denial.is_none() {
            first_denial = denial;
        }
    }
    let decision = results
        .iter()
        .map(|r| r["EvalDecision"].as_str().unwrap_or_default())
        .find(|d| *d != "allowed")
        .unwrap_or("allowed");
    let mut answer = json!({
        "Principal": identity.arn(&engine.config.account_id),
        "EvalDecision": decision,
        "EvaluationResults": results,
    });
    if let Some(denial) = &first_denial {
        answer["Message"] = json!(denial.message);
    }
    (answer, first_denial)
}

/// The decision on one check and, when it is a denial, DynamoDB's AccessDeniedException.
pub(crate) fn decide(engine: &Engine, identity: &Identity, check: &Check) -> (Outcome, Option<ApiError>) {
    let account = &engine.config.account_id;
    let principal = identity.principal(account);
    let own: Vec<(&str, &Policy)> = identity.parsed.policies().iter().map(|(n, p)| (n.as_str(), p)).collect();
    let resource = resource_policy(engine, &check.resource);
    let outcome = evaluate::evaluate(check, &principal, &own, resource.as_ref());
    let why = match &outcome {
        Outcome::Allowed(_) => return (outcome, None),
        Outcome::ExplicitDeny(s) if s.resource_based() => {
            "with an explicit deny in a resource-based policy".into()
        }
        Outcome::ExplicitDeny(_) => "with an explicit deny in an identity-based policy".into(),
        Outcome::ImplicitDeny => {
            format!("because no identity-based policy allows the {} action", check.action)
        }
    };
    let message = format!(
        "User: {} is not authorized to perform: {} on resource: {} {why}",
        principal.arn, check.action, check.resource
    );
    (outcome, Some(ApiError::new(ErrorKind::AccessDenied, message)))
}

/// The resource-based policy that governs `arn`: its table's (for the table and its
/// indexes) or its stream's. A stored document IAM's grammar cannot read grants nothing.
fn resource_policy(engine: &Engine, arn: &str) -> Option<Policy> {
    let prefix = format!("arn:aws:dynamodb:{}:{}:table/", engine.config.region, engine.config.account_id);
    let path = arn.strip_prefix(&prefix)?;
    let (table, rest) = path.split_once('/').unwrap_or((path, ""));
    let table = engine.tables.get(table)?;
    let document = if rest.starts_with("stream/") {
        let live = table.stream_log.as_ref().filter(|s| s.arn == arn);
        let closed = || engine.closed_streams.iter().find(|s| s.arn == arn);
        &live.or_else(closed)?.policy.as_ref()?.document
    } else {
        &table.control.policy.as_ref()?.document
    };
    policy::parse(document, policy::Kind::Resource).ok()
}

/// The IAM part of a workspace document (`None` when there are no identities): each
/// identity as the PlaygroundPutIdentity request that makes it again.
pub(crate) fn export(engine: &Engine) -> Option<Value> {
    if !crate::features::IAM || engine.iam.identities.is_empty() {
        return None;
    }
    let account = &engine.config.account_id;
    let identities: Vec<Value> = engine
        .iam
        .identities
        .iter()
        .map(|i| {
            let mut request = i.describe(account);
            request.as_object_mut().map(|m| m.remove("Arn"));
            request
        })
        .collect();
    Some(json!({ "Identities": identities }))
}

/// Makes again the identities of a workspace document's `"iam"` member, through
/// PlaygroundPutIdentity (so a hand-edited file is checked like a request).
pub(crate) fn import(engine: &mut Engine, document: &Value) -> ApiResult<()> {
    if !crate::features::IAM {
        return Err(crate::features::no_iam());
    }
    for identity in document.get("Identities").and_then(Value::as_array).into_iter().flatten() {
        engine.handle_json("PlaygroundPutIdentity", identity.clone())?;
    }
    Ok(())
}
