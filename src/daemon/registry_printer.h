/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <ostream>

#include "registry.h"

namespace plinth {

/*
 * Writes what the service would serve, for people checking their definitions: the apps in
 * dependency order with their components, then every managed unit and who declares it.
 */
void printRegistry(std::ostream &out, const Registry &registry);

} /* namespace plinth */
