//! Phase 3 for UpdateExpressions: the rules of [`super::check`] plus sections, overlapping
//! paths, functions and ADD/DELETE operands, in DynamoDB's order (see `check_update`).

use super::ast::{ClauseKind, Operand, SetValue, UpdateAction, UpdateAst};
use super::attributes::ExpressionAttributes;
use super::check::{
    arity, arity_error, check_names_defined, check_overlaps, operand_type_error, pass1_operand, pass1_path,
    peek_path, CheckResult, Place, Resolver,
};
use super::update::{Action, SetExpr, UpdateExpression, UpdateOperand};
use crate::types::AttributeValue;

fn pass1_action(action: &UpdateAction) -> CheckResult<()> {
    pass1_path(action.path())?;
    if let UpdateAction::Set { value, .. } = action {
        match value {
            SetValue::Operand(o) => pass1_operand(o, Place::Operand, true)?,
            SetValue::Plus(a, b) | SetValue::Minus(a, b) => {
                pass1_operand(a, Place::Operand, true)?;
                pass1_operand(b, Place::Operand, true)?;
            }
        }
    }
    Ok(())
}

fn names_in_operand(operand: &Operand, attrs: &ExpressionAttributes) -> CheckResult<()> {
    match operand {
        Operand::Path(p) => check_names_defined(p, attrs),
        Operand::Value(_) => Ok(()),
        Operand::Call(c) => c.args.iter().try_for_each(|a| names_in_operand(a, attrs)),
    }
}

fn long_type_name(ty: &str) -> &'static str {
    match ty {
        "S" => "STRING",
        "N" => "NUMBER",
        "B" => "BINARY",
        "BOOL" => "BOOLEAN",
        "NULL" => "NULL",
        "L" => "LIST",
        "M" => "MAP",
        "SS" => "STRING_SET",
        "NS" => "NUMBER_SET",
        _ => "BINARY_SET",
    }
}

impl Resolver<'_> {
    fn update_operand(&mut self, operand: &Operand) -> CheckResult<UpdateOperand> {
        match operand {
            Operand::Path(p) => self.path(p).map(UpdateOperand::Path),
            Operand::Value(k) => self.value(k).map(UpdateOperand::Literal),
            Operand::Call(call) => {
                let name = call.name.as_str();
                if arity(name) != Some(call.args.len()) {
                    return Err(arity_error(call));
                }
                let args =
                    call.args.iter().map(|a| self.update_operand(a)).collect::<CheckResult<Vec<_>>>()?;
                let mut args = args.into_iter();
                let (Some(first), Some(second)) = (args.next(), args.next()) else {
                    return Err(arity_error(call));
                };
                if name == "if_not_exists" {
                    let UpdateOperand::Path(path) = first else {
                        return Err(format!(
                            "Operator or function requires a document path; operator or function: {name}"
                        ));
                    };
                    if second == UpdateOperand::Path(path.clone()) {
                        return Err(format!(
                            "The first operand must be distinct from the remaining operands for this operator or function; operator: {name}, first operand: {path}"
                        ));
                    }
                    Ok(UpdateOperand::IfNotExists(path, Box::new(second)))
                } else {
                    for o in [&first, &second] {
                        if let UpdateOperand::Literal(v) = o {
                            if !matches!(v, AttributeValue::L(_)) {
                                return Err(operand_type_error(name, v.type_name()));
                            }
                        }
                    }
                    Ok(UpdateOperand::ListAppend(Box::new(first), Box::new(second)))
                }
            }
        }
    }

    fn action(&mut self, kind: ClauseKind, action: &UpdateAction) -> CheckResult<Action> {
        let path = self.path(action.path())?;
        Ok(match action {
            UpdateAction::Set { value, .. } => {
                let value = match value {
                    SetValue::Operand(o) => SetExpr::Operand(self.update_operand(o)?),
                    SetValue::Plus(a, b) => {
                        let a = self.update_operand(a)?;
                        let b = self.update_operand(b)?;
                        SetExpr::Plus(arith_type(a, "+")?, arith_type(b, "+")?)
                    }
                    SetValue::Minus(a, b) => {
                        let a = self.update_operand(a)?;
                        let b = self.update_operand(b)?;
                        SetExpr::Minus(arith_type(a, "-")?, arith_type(b, "-")?)
                    }
                };
                Action::Set(path, value)
            }
            UpdateAction::Remove { .. } => Action::Remove(path),
            UpdateAction::AddDelete { value, .. } => {
                let value = self.value(value)?;
                let ty = value.type_name();
                let allowed = match kind {
                    ClauseKind::Add => matches!(ty, "N" | "SS" | "NS" | "BS"),
                    _ => matches!(ty, "SS" | "NS" | "BS"),
                };
                if !allowed {
                    let keyword = kind.keyword();
                    return Err(format!(
                        "Incorrect operand type for operator or function; operator: {keyword}, operand type: {}, typeSet: ALLOWED_FOR_{keyword}_OPERAND",
                        long_type_name(ty)
                    ));
                }
                if kind == ClauseKind::Add {
                    Action::Add(path, value)
                } else {
                    Action::Delete(path, value)
                }
            }
        })
    }
}

fn arith_type(operand: UpdateOperand, op: &str) -> CheckResult<UpdateOperand> {
    match &operand {
        UpdateOperand::Literal(v) if !matches!(v, AttributeValue::N(_)) => {
            Err(operand_type_error(op, v.type_name()))
        }
        _ => Ok(operand),
    }
}

/// Checks and resolves an update expression.
pub(crate) fn check_update(
    ast: &UpdateAst,
    attrs: &mut ExpressionAttributes,
) -> CheckResult<UpdateExpression> {
    // Pass 1, a section (all clauses of one keyword) at a time, in order of first appearance.
    let mut kinds: Vec<ClauseKind> = Vec::new();
    for clause in &ast.0 {
        if !kinds.contains(&clause.kind) {
            kinds.push(clause.kind);
        }
    }
    for kind in kinds {
        let clauses: Vec<_> = ast.0.iter().filter(|c| c.kind == kind).collect();
        for clause in &clauses {
            clause.actions.iter().try_for_each(pass1_action)?;
        }
        if clauses.len() > 1 {
            return Err(format!(
                "The \"{}\" section can only be used once in an update expression;",
                kind.keyword()
            ));
        }
    }
    let actions: Vec<(ClauseKind, &UpdateAction)> =
        ast.0.iter().flat_map(|c| c.actions.iter().map(move |a| (c.kind, a))).collect();
    // The written paths: their names, then overlaps.
    for (_, action) in &actions {
        check_names_defined(action.path(), attrs)?;
    }
    let written = actions.iter().map(|(_, a)| peek_path(a.path(), attrs)).collect::<CheckResult<Vec<_>>>()?;
    check_overlaps(&written)?;
    // Pass 2, last action first: every #name, then everything else.
    for (_, action) in actions.iter().rev() {
        check_names_defined(action.path(), attrs)?;
        if let UpdateAction::Set { value, .. } = action {
            match value {
                SetValue::Operand(o) => names_in_operand(o, attrs)?,
                SetValue::Plus(a, b) | SetValue::Minus(a, b) => {
                    names_in_operand(a, attrs)?;
                    names_in_operand(b, attrs)?;
                }
            }
        }
    }
    let mut resolver = Resolver::new(attrs);
    let mut resolved = Vec::with_capacity(actions.len());
    for (kind, action) in actions.iter().rev() {
        resolved.push(resolver.action(*kind, action)?);
    }
    resolved.reverse();
    Ok(UpdateExpression { actions: resolved, legacy: false })
}
