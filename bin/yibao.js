#!/usr/bin/env node
// The `yibao` command: a thin launcher for the compiled CLI package.
import "@yibao/cli/main";
