/* SPDX-License-Identifier: MIT */
#ifndef KERNEL_VERSION_H
#define KERNEL_VERSION_H

#ifndef HV_VERSION
#define HV_VERSION "unknown"
#endif

#endif
