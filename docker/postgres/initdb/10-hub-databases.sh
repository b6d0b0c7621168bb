#!/bin/bash
# First start of an empty volume: the stack's two databases, each owned by its own role.
# `airflow` holds Airflow's metadata; `warehouse` holds landing/raw/ops and the dbt schemas
# (the package's migrations create the schemas and the hub_* roles inside it).
set -euo pipefail

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
    -v airflow_password="$AIRFLOW_DB_PASSWORD" \
    -v warehouse_password="$WAREHOUSE_DB_PASSWORD" <<'SQL'
create role airflow login password :'airflow_password';
create database airflow owner airflow;
create role hub login createrole password :'warehouse_password';
create database warehouse owner hub;
SQL
