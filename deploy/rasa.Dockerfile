# The Rasa server: the official image, the lock file installed unchanged (every file pip
# downloads checked against its hash) and the project's code, model and configuration,
# started through the project's launcher. deploy/cluster.yml describes where it runs;
# tests/e2e/test_deploy_images.py runs these RUN and ENTRYPOINT lines in a fresh venv.
# Context: the repository root.
FROM rasa/rasa:3.6.21-full
USER root
COPY requirements.txt /app/requirements.txt
# /app/.venv: where scripts/env.sh looks for the Python to run (the image's own).
RUN pip install --no-cache-dir --require-hashes -r /app/requirements.txt \
 && ln -s "$(dirname "$(dirname "$(command -v python)")")" /app/.venv
# rasa.Dockerfile.dockerignore lists what is copied (code, model, configuration; no venv, no data).
COPY --chown=1001:0 . /app
WORKDIR /app
# scripts/env.sh's settings for a container: every interface, the cluster's
# stores (endpoints/cluster.yml, filled from the environment). The token comes from
# RASA_API_TOKEN or the file RASA_API_TOKEN_FILE names, never from the command line.
ENV RASA_HOST=0.0.0.0 RASA_PORT=5005 ENDPOINTS=/app/endpoints/cluster.yml \
    LOG_DIR=/tmp/log RUN_DIR=/tmp/run
USER 1001
ENTRYPOINT ["/app/scripts/server.sh"]
CMD ["rasa"]
