/* SPDX-License-Identifier: MIT */
/*
 * The version string: `git describe` at build time, from the generated
 * $(BUILD)/gen/version_gen.h (see the Makefile).
 */
#ifndef KERNEL_VERSION_H
#define KERNEL_VERSION_H

#include "version_gen.h"

#endif
