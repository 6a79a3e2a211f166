//! An environment's name index: which service or datastore a name means, and who calls it.
//! Built once per environment on first use, so resolving every `uses` entry and every
//! workload's callers is linear in the environment's size, not quadratic.

use std::collections::HashMap;

use super::Environment;

#[derive(Debug, Clone, Default)]
pub struct Peers {
    /// Name → position among the services (`Ok`) or the datastores (`Err`).
    by_name: HashMap<String, Result<usize, usize>>,
    /// Name → positions of the services that list it in `uses`, in spec order.
    callers: HashMap<String, Vec<usize>>,
}

impl Peers {
    pub fn of(env: &Environment) -> Self {
        let mut by_name = HashMap::new();
        for (i, datastore) in env.datastores.iter().enumerate() {
            by_name.insert(datastore.name.clone(), Err(i));
        }
        // a service wins over a datastore of the same name, as it always has
        for (i, service) in env.services.iter().enumerate() {
            by_name.insert(service.name.clone(), Ok(i));
        }
        let mut callers: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, service) in env.services.iter().enumerate() {
            for callee in &service.uses {
                let positions = callers.entry(callee.clone()).or_default();
                if positions.last() != Some(&i) {
                    positions.push(i);
                }
            }
        }
        Peers { by_name, callers }
    }

    pub fn position(&self, name: &str) -> Option<Result<usize, usize>> {
        self.by_name.get(name).copied()
    }

    pub fn callers(&self, name: &str) -> &[usize] {
        self.callers.get(name).map_or(&[], Vec::as_slice)
    }
}
