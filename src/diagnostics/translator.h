/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "check.h"

namespace plinth {

/*
 * The service's language for the `message` of each check, from the plinth-daemons gettext
 * catalogues. Safe to use from any number of threads at once: it never touches the process's
 * global locale.
 */
class Translator
{
public:
	/* No translation: the messages stay in the templates' English. */
	Translator();
	/*
	 * Messages in locale, such as "de_DE.UTF-8"; empty takes the environment's (LC_ALL, then
	 * LC_MESSAGES, then LANG). The catalogues are read from the directory the environment
	 * variable PLINTH_LOCALEDIR names, else from the installed locale directory. A locale
	 * the system has not generated falls back to English, with a warning. As everywhere in
	 * gettext, a LANGUAGE variable in the environment comes first.
	 */
	explicit Translator(const std::string &locale);
	~Translator();

	Translator(const Translator &) = delete;
	Translator &operator=(const Translator &) = delete;

	/* The locale messages are translated into; "C" when they are not. */
	const std::string &locale() const;

	/* The catalogue's translation of msgid, or msgid itself when it has none. */
	std::string translate(std::string_view msgid) const;

	/* The description translated, then its {placeholders} filled in with the parameters. */
	std::string message(std::string_view description, const CheckParameters &parameters) const;

private:
	class Private;
	std::unique_ptr<Private> d_;
};

} /* namespace plinth */
