/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <sdbus-c++/sdbus-c++.h>

namespace plinth {

/*
 * Writes one object's interface with its properties as a{sa{sv}}, the shape GetManagedObjects
 * and InterfacesAdded carry, straight from the values the object serves: no property callback
 * runs and no sdbus::Variant is built per property, which is most of what sd-bus's own walk
 * of every object costs. Only the object's own interface is written: the standard ones
 * (Peer, Introspectable, Properties) have no properties and tell a client nothing.
 */
class InterfaceWriter
{
public:
	InterfaceWriter(sdbus::Message &message, const char *interface) : message_(message)
	{
		message_.openContainer("{sa{sv}}");
		message_.openDictEntry("sa{sv}");
		message_ << interface;
		message_.openContainer("{sv}");
	}

	template<typename Value>
	InterfaceWriter &property(const char *name, const Value &value)
	{
		message_.openDictEntry("sv");
		message_ << name;
		message_.openVariant(sdbus::signature_of<Value>::str());
		message_ << value;
		message_.closeVariant();
		message_.closeDictEntry();
		return *this;
	}

	void finish()
	{
		message_.closeContainer();
		message_.closeDictEntry();
		message_.closeContainer();
	}

private:
	sdbus::Message &message_;
};

} /* namespace plinth */
