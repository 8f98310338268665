/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <set>
#include <string>
#include <string_view>

#include "app.h"
#include "registry.h"

namespace plinth {

/*
 * What an operation may read or change, as names: unit names, and "app:<id>" for an app's
 * recorded enable state. Two operations whose scopes meet run one after another.
 */
using OperationScope = std::set<std::string, std::less<>>;

/*
 * EnableApp and DisableApp of app: its daemons and shared daemons (aliases and a socket's
 * service too) and its recorded state; and, because disabling keeps a shared daemon that
 * another enabled app still has, the daemons and the recorded state of every app sharing one
 * of its shared daemons, which that decision reads.
 */
OperationScope appOperationScope(const Registry &registry, const App &app);

/*
 * A unit method on unit: the name, a socket's service, and both names of every component
 * that declares it as its unit or alias, since an action by either name acts on one unit.
 */
OperationScope unitOperationScope(const Registry &registry, std::string_view unit);

/* Whether the two scopes name anything in common. */
bool scopesOverlap(const OperationScope &a, const OperationScope &b);

} /* namespace plinth */
