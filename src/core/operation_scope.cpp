/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "operation_scope.h"

#include <optional>

#include "unit_name.h"

namespace plinth {

namespace {

void addUnit(OperationScope &scope, const std::string &unit)
{
	if (unit.empty())
		return;
	scope.insert(unit);
	if (std::optional<std::string> service = serviceOfSocket(unit))
		scope.insert(std::move(*service));
}

void addComponent(OperationScope &scope, const Component &component)
{
	addUnit(scope, component.unit);
	addUnit(scope, component.alias);
}

void addAppState(OperationScope &scope, const App &app)
{
	scope.insert("app:" + app.id);
	for (const Component &component : app.components) {
		if (component.kind == ComponentKind::Daemon)
			addComponent(scope, component);
	}
}

} /* namespace */

OperationScope appOperationScope(const Registry &registry, const App &app)
{
	OperationScope scope;
	scope.insert("app:" + app.id);
	for (const Component &component : app.components) {
		if (!component.followsApp())
			continue;
		addComponent(scope, component);
		if (component.kind != ComponentKind::SharedDaemon)
			continue;
		for (const ComponentRef &ref : registry.declarersOf(component.unit)) {
			if (ref.app != &app && ref.component->kind == ComponentKind::SharedDaemon)
				addAppState(scope, *ref.app);
		}
	}
	return scope;
}

OperationScope unitOperationScope(const Registry &registry, std::string_view unit)
{
	OperationScope scope;
	addUnit(scope, std::string(unit));
	for (const ComponentRef &ref : registry.declarersOf(unit))
		addComponent(scope, *ref.component);
	return scope;
}

bool scopesOverlap(const OperationScope &a, const OperationScope &b)
{
	auto x = a.begin();
	auto y = b.begin();
	while (x != a.end() && y != b.end()) {
		if (*x < *y)
			++x;
		else if (*y < *x)
			++y;
		else
			return true;
	}
	return false;
}

} /* namespace plinth */
