//! AWS's policy evaluation logic for a request inside one account: an explicit Deny in any
//! policy that applies wins; otherwise an Allow in the identity's policies or in the
//! resource's policy allows; otherwise the request is implicitly denied. A statement applies
//! when its principal (resource-based policies), action, resource and every condition match.

use super::policy::{Condition, Effect, Patterns, Policy, Qualifier, Statement};

/// One authorization a request needs: an action on a resource, with the request's values
/// of the condition keys it sets (`dynamodb:LeadingKeys`, …).
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Check {
    pub action: String,
    /// An ARN, or `*` for an action on no resource (ListTables).
    pub resource: String,
    pub keys: Vec<(&'static str, Vec<String>)>,
}

/// Who is asking: the principal's ARN and the values of the global condition keys and
/// policy variables it brings (`aws:username`, `www.amazon.com:user_id`, …).
pub(crate) struct Principal<'a> {
    pub arn: String,
    /// A role session's role ARN (a resource-based policy may name the role).
    pub role_arn: Option<String>,
    pub keys: Vec<(&'a str, String)>,
}

/// Which policy a statement is in.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Source {
    /// The identity's policy name, or `None` for the resource-based policy.
    pub policy: Option<String>,
    /// The statement's position (0 first) and its Sid.
    pub statement: usize,
    pub sid: Option<String>,
}

impl Source {
    pub fn resource_based(&self) -> bool {
        self.policy.is_none()
    }
}

/// The decision on one check.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Outcome {
    Allowed(Source),
    ExplicitDeny(Source),
    ImplicitDeny,
}

/// Decides `check` for `principal` with its identity-based policies and the resource's
/// resource-based policy (if any).
pub(crate) fn evaluate(
    check: &Check,
    principal: &Principal<'_>,
    identity: &[(&str, &Policy)],
    resource: Option<&Policy>,
) -> Outcome {
    let mut allow = None;
    let sources = identity.iter().map(|(name, p)| (Some(*name), *p)).chain(resource.map(|p| (None, p)));
    for (name, policy) in sources {
        for (i, statement) in policy.statements.iter().enumerate() {
            if !applies(statement, policy.variables, check, principal, name.is_none()) {
                continue;
            }
            let source = Source { policy: name.map(str::to_owned), statement: i, sid: statement.sid.clone() };
            match statement.effect {
                Effect::Deny => return Outcome::ExplicitDeny(source),
                Effect::Allow if allow.is_none() => allow = Some(source),
                Effect::Allow => {}
            }
        }
    }
    allow.map_or(Outcome::ImplicitDeny, Outcome::Allowed)
}

fn applies(s: &Statement, variables: bool, check: &Check, who: &Principal<'_>, resource_based: bool) -> bool {
    let ctx = Context { check, who, variables };
    (!resource_based || principal_matches(s, who))
        && matches_patterns(&s.actions, |p| glob(p, &check.action, true))
        && matches_patterns(&s.resources, |p| {
            ctx.substitute(p).is_some_and(|p| glob(&p, &check.resource, false))
        })
        && s.conditions.iter().all(|c| ctx.condition(c))
}

/// Whether a resource-based statement names the principal: `*`, its ARN, or (a role
/// session) its role's ARN. The account (`123456789012`, `…:root`) names no one in
/// particular: within the account it hands the decision to identity-based policies.
fn principal_matches(s: &Statement, who: &Principal<'_>) -> bool {
    s.principals.iter().any(|p| p == "*" || *p == who.arn || who.role_arn.as_deref() == Some(p.as_str()))
}

fn matches_patterns(patterns: &Patterns, matches: impl Fn(&str) -> bool) -> bool {
    patterns.values.iter().any(|p| matches(p)) != patterns.negated
}

/// `*` (any run of characters) and `?` (any one) matching, as IAM's Action, Resource and
/// `…Like` operators match.
pub(crate) fn glob(pattern: &str, text: &str, ignore_case: bool) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let same = |a: char, b: char| if ignore_case { a.eq_ignore_ascii_case(&b) } else { a == b };
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || (p[pi] != '*' && same(p[pi], t[ti]))) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

struct Context<'c, 'p> {
    check: &'c Check,
    who: &'c Principal<'p>,
    variables: bool,
}

impl Context<'_, '_> {
    /// The request's values of a condition key (names are case-insensitive), `None` when the
    /// request does not set it.
    fn values(&self, key: &str) -> Option<Vec<String>> {
        if let Some((_, v)) = self.check.keys.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)) {
            return Some(v.clone());
        }
        self.who.keys.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| vec![v.clone()])
    }

    /// `text` with its policy variables replaced (`${aws:username}`; `${*}`, `${?}` and
    /// `${$}` are the characters themselves). `None` when a variable has no value: what it
    /// was to match matches nothing.
    fn substitute(&self, text: &str) -> Option<String> {
        if !self.variables || !text.contains("${") {
            return Some(text.to_owned());
        }
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let end = after.find('}')?;
            let name = after[..end].trim();
            match name {
                "*" | "?" | "$" => out.push_str(name),
                _ => out.push_str(self.values(name)?.first()?),
            }
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        Some(out)
    }

    fn condition(&self, c: &Condition) -> bool {
        let present = self.values(&c.key).filter(|v| !v.is_empty());
        if c.operator == "Null" {
            let wants_absent = c.values.iter().any(|v| v.eq_ignore_ascii_case("true"));
            return wants_absent == present.is_none();
        }
        let policy: Vec<String> = c.values.iter().filter_map(|v| self.substitute(v)).collect();
        let Some(request) = present else {
            return match c.qualifier {
                Qualifier::ForAllValues => true,
                Qualifier::ForAnyValue => false,
                Qualifier::Single => c.if_exists,
            };
        };
        let holds = |v: &String| operator_holds(&c.operator, v, &policy);
        match c.qualifier {
            Qualifier::ForAllValues => request.iter().all(holds),
            Qualifier::ForAnyValue => request.iter().any(holds),
            // A negated operator on a key with several values holds when it holds for each.
            Qualifier::Single if c.operator.contains("Not") => request.iter().all(holds),
            Qualifier::Single => request.iter().any(holds),
        }
    }
}

/// Whether the operator holds for one request value against the policy's values (any of
/// them for a positive operator; none of them for a negated one).
fn operator_holds(operator: &str, value: &str, policy: &[String]) -> bool {
    let number = |s: &str| s.trim().parse::<f64>().ok();
    let positive = operator.replacen("Not", "", 1);
    let any = policy.iter().any(|p| match positive.as_str() {
        "StringEquals" | "ArnEquals" => p == value,
        "StringEqualsIgnoreCase" => p.eq_ignore_ascii_case(value),
        "StringLike" | "ArnLike" => glob(p, value, false),
        "Bool" => p.eq_ignore_ascii_case(value),
        numeric => match (number(value), number(p)) {
            (Some(v), Some(p)) => match numeric {
                "NumericEquals" => v == p,
                "NumericLessThan" => v < p,
                "NumericLessThanEquals" => v <= p,
                "NumericGreaterThan" => v > p,
                "NumericGreaterThanEquals" => v >= p,
                _ => false,
            },
            _ => false,
        },
    });
    any != operator.contains("Not")
}
