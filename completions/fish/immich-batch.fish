# fish completion for immich-batch (generated from its option table; do not edit)
complete -c immich-batch -l log -r -F -d 'The pending journal'
complete -c immich-batch -l commit -d 'Tail mode: mark arriving records done in the journal and print a summary'
complete -c immich-batch -l list -d 'Print the records still pending in the journal, then exit'
complete -c immich-batch -l dry-run -d 'Batch only: no journal write, no replay'
complete -c immich-batch -l log-level -x -a 'debug info warning error' -d 'How much to log on stderr: debug, info, warning, error'
complete -c immich-batch -l completions -x -a 'bash zsh fish' -d 'Print the completion script for bash, zsh or fish, then exit'
complete -c immich-batch -l version -d 'Print the version, then exit'
complete -c immich-batch -s h -l help -d 'Show this help, then exit'
