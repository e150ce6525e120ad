// SPDX-License-Identifier: MIT
#include "kernel/errno.h"

static const char *const hv_err_names[HV_ERR_COUNT] = {
	[HV_OK] = "success",
	[HV_EINVAL] = "invalid argument",
	[HV_ENOMEM] = "out of memory",
	[HV_ENOENT] = "not found",
	[HV_EBUSY] = "busy",
	[HV_ERANGE] = "out of range",
	[HV_ENODEV] = "no such device",
	[HV_ETIMEDOUT] = "timed out",
	[HV_EIO] = "I/O error",
	[HV_ENOTSUP] = "not supported",
	[HV_EEXIST] = "already exists",
	[HV_EPERM] = "not permitted",
};

const char *hv_strerror(int err)
{
	if (err < 0)
		err = -err;
	if (err >= HV_ERR_COUNT)
		return "unknown error";
	return hv_err_names[err];
}
