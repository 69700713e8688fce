CREATE DATABASE marketplace_gateway;
CREATE DATABASE marketplace_catalog;
CREATE DATABASE marketplace_orders;
CREATE DATABASE marketplace_notifications;
