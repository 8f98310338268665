/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

namespace plinth {

/*
 * Raises the soft limit on open files to the hard one, as systemd's own daemons do
 * (rlimit_nofile_bump): services start with a soft limit of 1024, kept for programs that
 * still use select(), which this one does not. A failure is logged and changes nothing.
 */
void raiseFdLimit();

} /* namespace plinth */
